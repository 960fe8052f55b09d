package io.switchboard.refusal;

import java.time.Duration;

/** Too many requests of this kind from this caller: try again after {@link #retryAfterSeconds()}. */
public final class RateLimited extends Refusal {

    private final long retryAfterSeconds;

    public RateLimited(String message, Duration retryAfter) {
        super(message);
        this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
