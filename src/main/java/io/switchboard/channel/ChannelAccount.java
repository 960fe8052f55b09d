package io.switchboard.channel;

import io.switchboard.conversation.ChannelOrigin;
import io.switchboard.conversation.QueueTab;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A connected channel: one WhatsApp number, one web chat, one API integration. {@code config} holds the
 * non-secret settings; secrets are kept apart ({@link ChannelAccounts#secrets}) and only their names show.
 */
public record ChannelAccount(UUID id, UUID organizationId, ChannelType type, String name, Map<String, Object> config,
                             Set<String> secretsSet, UUID defaultAiAgentId, QueueTab queueTab, boolean reopenClosed,
                             Integer inactivityCloseMinutes, boolean enabled, Instant createdAt) {

    public String configValue(String key) {
        Object value = config.get(key);
        return value == null ? null : value.toString();
    }

    /** How conversations from this account start and which human queue they wait in. */
    public ChannelOrigin origin() {
        return new ChannelOrigin(id, type.code(), queueTab, reopenClosed, defaultAiAgentId);
    }
}
