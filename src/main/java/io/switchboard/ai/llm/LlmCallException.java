package io.switchboard.ai.llm;

import java.time.Duration;
import java.util.Objects;

/**
 * An LLM call that produced no usable answer, classified by {@link #reason()}.
 *
 * <p>The message starts with {@link FailureReason#describe()} and adds the provider's own error
 * message when there is one. It never contains the API key.
 */
public class LlmCallException extends Exception {

    private final FailureReason reason;
    private final Duration retryAfter;
    private final int httpStatus;

    public LlmCallException(FailureReason reason, String detail, Duration retryAfter, int httpStatus, Throwable cause) {
        super(messageFor(reason, detail), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.retryAfter = retryAfter;
        this.httpStatus = httpStatus;
    }

    public LlmCallException(FailureReason reason, String detail) {
        this(reason, detail, null, 0, null);
    }

    public FailureReason reason() {
        return reason;
    }

    /** How long the provider asked us to wait before retrying ({@code Retry-After}); null when it did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The provider's HTTP status, or 0 when the failure happened before or without an HTTP response. */
    public int httpStatus() {
        return httpStatus;
    }

    private static String messageFor(FailureReason reason, String detail) {
        return detail == null || detail.isBlank() ? reason.describe() : reason.describe() + " " + detail;
    }
}
