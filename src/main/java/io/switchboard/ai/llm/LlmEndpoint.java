package io.switchboard.ai.llm;

import java.util.Objects;

/**
 * Where and as whom to call an LLM provider.
 *
 * @param baseUrl the provider's API root <em>including</em> the version segment, without the
 *     operation path, e.g. {@code https://api.openai.com/v1}, {@code http://localhost:11434/v1}
 *     (Ollama) or {@code https://api.groq.com/openai/v1}; {@code /chat/completions} is appended. A
 *     trailing slash is tolerated.
 * @param apiKey the bearer key; never logged ({@link #toString()} masks it)
 */
public record LlmEndpoint(String baseUrl, String apiKey) {

    public LlmEndpoint {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    @Override
    public String toString() {
        return "LlmEndpoint[baseUrl=" + baseUrl + ", apiKey=" + maskedKey() + "]";
    }

    private String maskedKey() {
        return apiKey.length() <= 8 ? "****" : apiKey.substring(0, 3) + "…" + apiKey.substring(apiKey.length() - 4);
    }
}
