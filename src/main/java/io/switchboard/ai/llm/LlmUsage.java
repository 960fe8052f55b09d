package io.switchboard.ai.llm;

/**
 * Tokens billed for one call.
 *
 * @param promptTokens all input tokens, cached ones included
 * @param completionTokens generated tokens
 * @param cachedTokens the part of {@code promptTokens} served from the provider's prompt cache
 *     (billed cheaper); 0 when the provider does not report it
 */
public record LlmUsage(int promptTokens, int completionTokens, int cachedTokens) {

    public static final LlmUsage NONE = new LlmUsage(0, 0, 0);

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
