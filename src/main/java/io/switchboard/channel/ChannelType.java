package io.switchboard.channel;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Set;

/** The kinds of channel account, with the configuration keys each needs and which of them are secret. */
public enum ChannelType {
    TWILIO("twilio", Set.of("account_sid", "from"), Set.of("auth_token")),
    META_CLOUD("meta_cloud", Set.of("phone_number_id"), Set.of("access_token", "app_secret", "verify_token")),
    EVOLUTION("evolution", Set.of("base_url", "instance"), Set.of("api_key", "webhook_secret")),
    WEBCHAT("webchat", Set.of(), Set.of()),
    API("api", Set.of(), Set.of("outbound_webhook_secret")),
    // Meta's Graph messaging platform: entry.id is the Instagram professional account or the Facebook page
    INSTAGRAM("instagram", Set.of("instagram_account_id"), Set.of("page_access_token", "app_secret", "verify_token")),
    MESSENGER("messenger", Set.of("page_id"), Set.of("page_access_token", "app_secret", "verify_token")),
    TELEGRAM("telegram", Set.of(), Set.of("bot_token", "webhook_secret"));

    private final String code;
    private final Set<String> requiredConfig;
    private final Set<String> secretKeys;

    ChannelType(String code, Set<String> requiredConfig, Set<String> secretKeys) {
        this.code = code;
        this.requiredConfig = requiredConfig;
        this.secretKeys = secretKeys;
    }

    @JsonValue
    public String code() {
        return code;
    }

    /** Non-secret keys that must be present. */
    public Set<String> requiredConfig() {
        return requiredConfig;
    }

    /** Keys stored encrypted and never returned by the API. */
    public Set<String> secretKeys() {
        return secretKeys;
    }

    /** Secrets without which the channel cannot verify webhooks or send (all but optional ones). */
    public Set<String> requiredSecrets() {
        return switch (this) {
            case TWILIO -> Set.of("auth_token");
            case META_CLOUD -> Set.of("access_token", "app_secret", "verify_token");
            case EVOLUTION -> Set.of("api_key", "webhook_secret");
            case INSTAGRAM, MESSENGER -> Set.of("page_access_token", "app_secret", "verify_token");
            case TELEGRAM -> Set.of("bot_token", "webhook_secret");
            default -> Set.of();
        };
    }

    @Override
    public String toString() {
        return code;
    }

    @JsonCreator
    public static ChannelType fromCode(String code) {
        for (ChannelType type : values()) {
            if (type.code.equals(code)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown channel type '" + code + "'; use one of twilio, meta_cloud, evolution, webchat, api, instagram, messenger, telegram");
    }
}
