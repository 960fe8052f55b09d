package io.switchboard.ai.llm;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * LLM settings under {@code switchboard.llm}.
 *
 * <p>Defaults: the base URL comes from {@code OPENAI_BASE_URL} (else
 * {@code https://api.openai.com/v1}), the key from {@code OPENAI_API_KEY} (else none: the
 * offline FAQ responder answers), 60 s per call, 4 attempts with 500 ms…8 s backoff. The built-in
 * prices ({@link PriceTable#defaults()}) are merged under configured ones, e.g.
 * {@code switchboard.llm.prices[gpt-4o].input=2.50} (brackets keep the dots of names like
 * {@code gpt-4.1} inside the key).
 *
 * @param prices per-model prices in USD per 1M tokens; configured entries win over built-in ones
 * @param defaultBaseUrl the OpenAI-compatible API root with its version, e.g. {@code https://api.openai.com/v1}
 * @param defaultApiKey the key used when an organization has none; null or blank when not set
 * @param callTimeout bound on one HTTP call (the turn's own deadline is set by the turn logic)
 * @param retry how {@link RetryingLlmCaller} retries
 */
@ConfigurationProperties("switchboard.llm")
public record LlmProperties(
        Map<String, PriceTable.ModelPrice> prices,
        String defaultBaseUrl,
        String defaultApiKey,
        Duration callTimeout,
        Retry retry) {

    public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";

    /** {@link RetryingLlmCaller} settings. */
    public record Retry(Integer maxAttempts, Duration baseDelay, Duration maxDelay) {
        public Retry {
            maxAttempts = maxAttempts == null ? RetryingLlmCaller.DEFAULT_MAX_ATTEMPTS : maxAttempts;
            baseDelay = baseDelay == null ? RetryingLlmCaller.DEFAULT_BASE_DELAY : baseDelay;
            maxDelay = maxDelay == null ? RetryingLlmCaller.DEFAULT_MAX_DELAY : maxDelay;
        }
    }

    public LlmProperties {
        Map<String, PriceTable.ModelPrice> merged = new LinkedHashMap<>(PriceTable.defaultPrices());
        if (prices != null) {
            merged.putAll(prices);
        }
        prices = Map.copyOf(merged);
        defaultBaseUrl = firstNonBlank(defaultBaseUrl, null, OPENAI_BASE_URL);
        defaultApiKey = firstNonBlank(defaultApiKey, null, null);
        callTimeout = callTimeout == null ? Duration.ofSeconds(60) : callTimeout;
        retry = retry == null ? new Retry(null, null, null) : retry;
    }

    public PriceTable priceTable() {
        return new PriceTable(prices);
    }

    /** Whether an LLM can be called without an organization key (else the offline responder answers). */
    public boolean hasDefaultApiKey() {
        return defaultApiKey != null;
    }

    public LlmEndpoint defaultEndpoint() {
        if (defaultApiKey == null) {
            throw new IllegalStateException("No default LLM API key: set OPENAI_API_KEY or switchboard.llm.default-api-key");
        }
        return new LlmEndpoint(defaultBaseUrl, defaultApiKey);
    }

    public RetryingLlmCaller retryingCaller(LlmClient client) {
        return new RetryingLlmCaller(client, retry.maxAttempts(), retry.baseDelay(), retry.maxDelay());
    }

    @Override
    public String toString() {
        return "LlmProperties[prices=" + prices.keySet() + ", defaultBaseUrl=" + defaultBaseUrl
                + ", defaultApiKey=" + (defaultApiKey == null ? "none" : "set") + ", callTimeout=" + callTimeout
                + ", retry=" + retry + "]";
    }

    private static String firstNonBlank(String first, String second, String fallback) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        if (second != null && !second.isBlank()) {
            return second;
        }
        return fallback;
    }
}
