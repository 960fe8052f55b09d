package io.switchboard.integration;

import io.switchboard.refusal.InvalidInput;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The systems an organization can connect, each with the settings it needs and the secrets it keeps
 * encrypted. {@code urlSettings} are URLs we call: each passes the outbound guard when saved.
 */
public enum IntegrationKind {

    WOOCOMMERCE("woocommerce", List.of("site_url"), List.of("timeout_seconds"), List.of("consumer_key", "consumer_secret"), false),
    /** Any HTTP API; its secrets have names of the admin's choosing, referenced by tools as {{secret.NAME}}. */
    HTTP_API("http_api", List.of("base_url"), List.of("timeout_seconds"), List.of(), true),
    N8N("n8n", List.of("webhook_url"), List.of("auth_header_name", "timeout_seconds"), List.of(), true),
    DATABASE("database", List.of("jdbc_url", "username"), List.of(), List.of("password"), false),
    MCP("mcp", List.of("transport"), List.of("url", "command", "timeout_seconds"), List.of(), true);

    private final String code;
    private final List<String> requiredSettings;
    private final List<String> optionalSettings;
    private final List<String> requiredSecrets;
    private final boolean freeSecretNames;

    IntegrationKind(String code, List<String> requiredSettings, List<String> optionalSettings, List<String> requiredSecrets,
                    boolean freeSecretNames) {
        this.code = code;
        this.requiredSettings = requiredSettings;
        this.optionalSettings = optionalSettings;
        this.requiredSecrets = requiredSecrets;
        this.freeSecretNames = freeSecretNames;
    }

    public String code() {
        return code;
    }

    public List<String> requiredSettings() {
        return requiredSettings;
    }

    public List<String> requiredSecrets() {
        return requiredSecrets;
    }

    /** Every setting this kind understands. */
    public Set<String> knownSettings() {
        return Set.copyOf(java.util.stream.Stream.concat(requiredSettings.stream(), optionalSettings.stream()).toList());
    }

    /** Whether secrets may have any name (referenced by tools) rather than only the required ones. */
    public boolean freeSecretNames() {
        return freeSecretNames;
    }

    /** Settings holding a URL we call. */
    public List<String> urlSettings() {
        return switch (this) {
            case WOOCOMMERCE -> List.of("site_url");
            case HTTP_API -> List.of("base_url");
            case N8N -> List.of("webhook_url");
            case MCP -> List.of("url");
            case DATABASE -> List.of();
        };
    }

    public static IntegrationKind fromCode(String code) {
        String wanted = code == null ? "" : code.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.code.equals(wanted)).findFirst()
                .orElseThrow(() -> new InvalidInput("kind must be one of " + Arrays.stream(values()).map(IntegrationKind::code).toList()
                        + " but was '" + code + "'"));
    }
}
