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

    /**
     * How conversations from this account start and which human queue they wait in; {@code config.default_stage_id}
     * is the funnel stage its new conversations start in (SPEC §3.2: after the integration's choice, before the
     * organization's default funnel).
     */
    public ChannelOrigin origin() {
        return new ChannelOrigin(id, type.code(), queueTab, reopenClosed, defaultAiAgentId, uuidOrNull(configValue("default_stage_id")));
    }

    private static UUID uuidOrNull(String value) {
        try {
            return value == null || value.isBlank() ? null : UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
