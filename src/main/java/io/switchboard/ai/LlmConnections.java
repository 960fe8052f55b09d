package io.switchboard.ai;

import io.switchboard.ai.llm.LlmEndpoint;
import io.switchboard.ai.llm.LlmProperties;
import io.switchboard.identity.Settings;
import io.switchboard.outbound.OutboundGuard;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Which LLM the current organization talks to: its own key (encrypted, write-only) and base URL, else the
 * installation's {@code OPENAI_API_KEY} / {@code OPENAI_BASE_URL}, else none — and then the offline FAQ
 * responder answers. The API, the admin page and the AI turn all go through here.
 */
@Service
public class LlmConnections {

    private static final String API_KEY = "llm.api_key";
    private static final String BASE_URL = "llm.base_url";

    private final Settings settings;
    private final LlmProperties properties;
    private final OutboundGuard guard;

    LlmConnections(Settings settings, LlmProperties properties, OutboundGuard guard) {
        this.settings = settings;
        this.properties = properties;
        this.guard = guard;
    }

    /** What an administrator may see: whether a key is stored (never the key) and the organization's URL. */
    public record Connection(boolean apiKeySet, String baseUrl) {
    }

    public Connection view() {
        return new Connection(settings.secret(API_KEY).filter(k -> !k.isBlank()).isPresent(), ownBaseUrl().orElse(""));
    }

    /**
     * Changes the connection. {@code apiKey}: null keeps the stored key, blank removes it. {@code baseUrl}:
     * null keeps it, blank falls back to the installation's.
     */
    public Connection update(String apiKey, String baseUrl) {
        if (apiKey != null) {
            if (apiKey.isBlank()) {
                settings.remove(API_KEY);
            } else {
                settings.putSecret(API_KEY, apiKey.strip());
            }
        }
        if (baseUrl != null) {
            if (baseUrl.isBlank()) {
                settings.remove(BASE_URL);
            } else {
                guard.requireAllowed("base_url", baseUrl);
                settings.putJson(BASE_URL, "\"" + baseUrl.strip().replace("\\", "").replace("\"", "") + "\"");
            }
        }
        return view();
    }

    /** The endpoint to call, or empty when no key is configured anywhere. */
    public Optional<LlmEndpoint> current() {
        String baseUrl = ownBaseUrl().orElse(properties.defaultBaseUrl());
        Optional<String> key = settings.secret(API_KEY).filter(k -> !k.isBlank());
        if (key.isPresent()) {
            return Optional.of(new LlmEndpoint(baseUrl, key.get()));
        }
        return properties.hasDefaultApiKey() ? Optional.of(new LlmEndpoint(baseUrl, properties.defaultApiKey())) : Optional.empty();
    }

    private Optional<String> ownBaseUrl() {
        return settings.json(BASE_URL).map(v -> v.replaceAll("^\"|\"$", "")).filter(v -> !v.isBlank());
    }
}
