package io.switchboard.ai.turn;

import io.switchboard.ai.llm.LlmEndpoint;
import io.switchboard.ai.llm.LlmProperties;
import io.switchboard.identity.Settings;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Which LLM an organization talks to: its own key and base URL (encrypted setting {@code llm.api_key},
 * plain setting {@code llm.base_url}), else the installation's {@code OPENAI_API_KEY} / {@code OPENAI_BASE_URL},
 * else none — and then the offline FAQ responder answers.
 */
@Component
class LlmEndpoints {

    static final String API_KEY = "llm.api_key";
    static final String BASE_URL = "llm.base_url";

    private final Settings settings;
    private final LlmProperties properties;

    LlmEndpoints(Settings settings, LlmProperties properties) {
        this.settings = settings;
        this.properties = properties;
    }

    Optional<LlmEndpoint> current() {
        Optional<String> key = settings.secret(API_KEY).filter(k -> !k.isBlank());
        String baseUrl = settings.json(BASE_URL).map(v -> v.replaceAll("^\"|\"$", "")).filter(v -> !v.isBlank())
                .orElse(properties.defaultBaseUrl());
        if (key.isPresent()) {
            return Optional.of(new LlmEndpoint(baseUrl, key.get()));
        }
        return properties.hasDefaultApiKey() ? Optional.of(new LlmEndpoint(baseUrl, properties.defaultApiKey())) : Optional.empty();
    }
}
