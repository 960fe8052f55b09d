package io.switchboard.ai.llm;

/**
 * Why an LLM call failed, in terms an operator can act on, and whether retrying can help.
 *
 * <p>Only {@link #RATE_LIMIT}, {@link #PROVIDER_UNAVAILABLE} and {@link #TIMEOUT} (of a single
 * call) are transient. Retrying a quota or key problem only burns the customer's waiting time.
 */
public enum FailureReason {
    RATE_LIMIT(true,
            "The LLM provider is rate limiting this API key (rate_limit_exceeded); too many requests or tokens per minute."),
    QUOTA_EXHAUSTED(false,
            "The LLM account has no credit left (insufficient_quota); add credit or change the API key."),
    INVALID_KEY(false,
            "The LLM provider rejected the API key (invalid_api_key or no permission); check the key configured for this organization."),
    PROVIDER_UNAVAILABLE(true,
            "The LLM provider is unavailable (server error or connection refused); it usually recovers on its own."),
    TIMEOUT(true,
            "The LLM provider did not answer in time."),
    EMPTY_ANSWER(false,
            "The LLM answered with neither text nor a tool call."),
    BAD_REQUEST(false,
            "The LLM provider rejected the request as invalid; check the model name, the tool schemas and the context length."),
    OTHER(false,
            "The LLM call failed for an unexpected reason; see the error details.");

    private final boolean retryable;
    private final String description;

    FailureReason(boolean retryable, String description) {
        this.retryable = retryable;
        this.description = description;
    }

    /** Whether the same request may succeed if sent again after a pause. */
    public boolean retryable() {
        return retryable;
    }

    /** One English sentence for logs, the inbox and the AI-disabled reason. */
    public String describe() {
        return description;
    }
}
