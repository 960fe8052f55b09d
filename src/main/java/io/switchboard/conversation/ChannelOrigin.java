package io.switchboard.conversation;

import java.util.UUID;

/**
 * Where conversations of a channel account come from and how they start: which human queue they wait in,
 * whether a closed conversation reopens, which AI agent (if any) owns new ones, and the funnel stage they start in
 * when the integration or the channel account chose one ({@code startStageId}; null: the organization's default).
 */
public record ChannelOrigin(UUID channelAccountId, String channelType, QueueTab queueTab, boolean reopenClosed,
                            UUID defaultAiAgentId, UUID startStageId) {

    public ChannelOrigin(UUID channelAccountId, String channelType, QueueTab queueTab, boolean reopenClosed,
                         UUID defaultAiAgentId) {
        this(channelAccountId, channelType, queueTab, reopenClosed, defaultAiAgentId, null);
    }

    /** The same origin, new conversations starting in {@code stageId} (an integration's choice wins over the account's). */
    public ChannelOrigin startingIn(UUID stageId) {
        return stageId == null ? this : new ChannelOrigin(channelAccountId, channelType, queueTab, reopenClosed,
                defaultAiAgentId, stageId);
    }
}
