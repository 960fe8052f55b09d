package io.switchboard.conversation;

import java.util.UUID;

/**
 * Where conversations of a channel account come from and how they start: which human queue they wait in,
 * whether a closed conversation reopens, and which AI agent (if any) owns new ones.
 */
public record ChannelOrigin(UUID channelAccountId, String channelType, QueueTab queueTab, boolean reopenClosed,
                            UUID defaultAiAgentId) {
}
