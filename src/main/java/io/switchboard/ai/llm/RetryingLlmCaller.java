package io.switchboard.ai.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Calls an {@link LlmClient} until it answers, a failure is permanent, the attempts run out or the
 * deadline comes.
 *
 * <p>Contract of {@link #call}:
 *
 * <ul>
 *   <li>only {@link FailureReason#retryable() retryable} failures are retried, at most
 *       {@code maxAttempts} calls in all;
 *   <li>between attempts it waits a random time in {@code [0, min(maxDelay, baseDelay·2^(n−1))]}
 *       ("full jitter", so many conversations hitting the same limit do not retry in lockstep), but
 *       never less than the provider's {@code Retry-After};
 *   <li>each call's timeout is cut to the time left before the deadline, and it never waits past
 *       the deadline: when the next wait would end at or after it, it gives up with
 *       {@link FailureReason#TIMEOUT};
 *   <li>an answer with blank text and no tool calls is {@link FailureReason#EMPTY_ANSWER}, not
 *       retried (the same prompt tends to give the same nothing);
 *   <li>the failure thrown is the last one seen (its message says how many attempts were made).
 * </ul>
 *
 * {@link #callCountingAttempts} returns the reply together with the number of attempts, for logs
 * and metrics.
 */
public final class RetryingLlmCaller {

    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(8);

    /** Waits between attempts; tests plug in one that records and returns at once. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** A reply and how many calls it took (1 = first try). */
    public record Attempted(LlmReply reply, int attempts) {}

    private final LlmClient client;
    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Sleeper sleeper;
    private final Clock clock;
    private final DoubleSupplier random;

    public RetryingLlmCaller(LlmClient client) {
        this(client, DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY);
    }

    public RetryingLlmCaller(LlmClient client, int maxAttempts, Duration baseDelay, Duration maxDelay) {
        this(client, maxAttempts, baseDelay, maxDelay,
                duration -> Thread.sleep(duration.toMillis()), Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param random source of jitter in {@code [0, 1)}
     */
    public RetryingLlmCaller(LlmClient client, int maxAttempts, Duration baseDelay, Duration maxDelay,
            Sleeper sleeper, Clock clock, DoubleSupplier random) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.maxAttempts = maxAttempts;
        this.baseDelay = Objects.requireNonNull(baseDelay, "baseDelay");
        this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The reply, or the reason there is none; see the class contract. */
    public LlmReply call(LlmRequest request, Instant deadline) throws LlmCallException {
        return callCountingAttempts(request, deadline).reply();
    }

    /** Like {@link #call} but also says how many calls were made. */
    public Attempted callCountingAttempts(LlmRequest request, Instant deadline) throws LlmCallException {
        for (int attempt = 1; ; attempt++) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw deadlinePassed(attempt - 1, null);
            }
            Duration callTimeout = request.callTimeout().compareTo(left) < 0 ? request.callTimeout() : left;
            try {
                LlmReply reply = client.chat(request.withCallTimeout(callTimeout));
                if (reply.isEmpty()) {
                    throw new LlmCallException(FailureReason.EMPTY_ANSWER,
                            "(finish_reason " + reply.finishReason() + ", attempt " + attempt + ")");
                }
                return new Attempted(reply, attempt);
            } catch (LlmCallException failure) {
                if (!failure.reason().retryable() || attempt >= maxAttempts) {
                    throw withAttempts(failure, attempt);
                }
                Duration wait = waitBefore(attempt + 1, failure.retryAfter());
                if (!clock.instant().plus(wait).isBefore(deadline)) {
                    throw deadlinePassed(attempt, failure);
                }
                sleep(wait, attempt, failure);
            }
        }
    }

    /** Full jitter: uniform in [0, min(max, base·2^(attempt−2))], raised to Retry-After. */
    Duration waitBefore(int nextAttempt, Duration retryAfter) {
        long ceilingMillis = baseDelay.toMillis() << Math.min(nextAttempt - 2, 30);
        ceilingMillis = Math.min(Math.max(ceilingMillis, 0), maxDelay.toMillis());
        Duration jittered = Duration.ofMillis(Math.round(random.getAsDouble() * ceilingMillis));
        return retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
    }

    private void sleep(Duration wait, int attempts, LlmCallException failure) throws LlmCallException {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LlmCallException interrupted = withAttempts(failure, attempts);
            interrupted.addSuppressed(e);
            throw interrupted;
        }
    }

    private static LlmCallException deadlinePassed(int attempts, LlmCallException last) {
        String detail = "The turn's deadline passed after " + attempts + " attempt(s)"
                + (last == null ? "." : "; last failure: " + last.getMessage());
        return new LlmCallException(FailureReason.TIMEOUT, detail, null, last == null ? 0 : last.httpStatus(), last);
    }

    private static LlmCallException withAttempts(LlmCallException failure, int attempts) {
        if (attempts <= 1) {
            return failure;
        }
        return new LlmCallException(failure.reason(), "(gave up after " + attempts + " attempts) "
                + failure.getMessage().substring(failure.reason().describe().length()).strip(),
                failure.retryAfter(), failure.httpStatus(), failure);
    }
}
