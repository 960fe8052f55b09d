package io.switchboard.outbound;

import io.switchboard.refusal.InvalidInput;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often one outbound call may be tried, all attempts within the call's one overall deadline. Only transient
 * failures are retried — no connection, a timeout with time left, HTTP 429 (waiting out its Retry-After up to
 * {@code maxRetryAfter}), 502, 503 and 504 — never another 4xx. Between attempts: exponential backoff from
 * {@code backoff}, capped at {@code maxBackoff}, with jitter so many callers do not retry in step.
 *
 * <p>Administrators set it as a {@code retry} object ({@code max_attempts}, {@code backoff_seconds},
 * {@code max_backoff_seconds}, {@code max_retry_after_seconds}) on a tool's config or an integration's settings.
 */
public record RetryPolicy(int maxAttempts, Duration backoff, Duration maxBackoff, Duration maxRetryAfter) {

    public static final int MAX_ATTEMPTS = 5;
    private static final Set<String> KEYS = Set.of("max_attempts", "backoff_seconds", "max_backoff_seconds", "max_retry_after_seconds");
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 502, 503, 504);
    /** Reads are safe to repeat; a POST or PATCH repeated may create or change something twice. */
    private static final Set<String> IDEMPOTENT_READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Duration DEFAULT_BACKOFF = Duration.ofMillis(200);
    private static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(2);
    private static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(5);

    /** One attempt, no retry. */
    public static RetryPolicy once() {
        return new RetryPolicy(1, DEFAULT_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MAX_RETRY_AFTER);
    }

    /** The default for an HTTP method: two attempts for a read (GET, HEAD, OPTIONS), one for anything else. */
    public static RetryPolicy defaultFor(String method) {
        int attempts = method != null && IDEMPOTENT_READS.contains(method.toUpperCase(Locale.ROOT)) ? 2 : 1;
        return new RetryPolicy(attempts, DEFAULT_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MAX_RETRY_AFTER);
    }

    /**
     * The policy an administrator configured ({@code settings} is the {@code retry} object; null for none), over
     * the default for {@code method}.
     *
     * @param field where the settings live, to name in a refusal (e.g. {@code config.retry})
     * @throws InvalidInput when a value is unknown, not a number, or out of range
     */
    public static RetryPolicy configured(Object settings, String method, String field) {
        RetryPolicy fallback = defaultFor(method);
        if (settings == null) {
            return fallback;
        }
        if (!(settings instanceof Map<?, ?> given)) {
            throw new InvalidInput(field + " must be an object with " + new TreeSet<>(KEYS));
        }
        TreeSet<String> unknown = new TreeSet<>();
        given.keySet().forEach(k -> {
            if (!KEYS.contains(String.valueOf(k))) {
                unknown.add(String.valueOf(k));
            }
        });
        if (!unknown.isEmpty()) {
            throw new InvalidInput(field + " does not include " + unknown + "; known: " + new TreeSet<>(KEYS));
        }
        int attempts = fallback.maxAttempts();
        if (given.get("max_attempts") != null) {
            Object value = given.get("max_attempts");
            if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
                    || ((Number) value).longValue() > MAX_ATTEMPTS) {
                throw new InvalidInput(field + ".max_attempts must be a whole number from 1 to " + MAX_ATTEMPTS + " but was " + value);
            }
            attempts = ((Number) value).intValue();
        }
        Duration backoff = seconds(given, "backoff_seconds", field, 10, fallback.backoff());
        Duration maxBackoff = seconds(given, "max_backoff_seconds", field, 30, fallback.maxBackoff().compareTo(backoff) < 0 ? backoff : fallback.maxBackoff());
        if (maxBackoff.compareTo(backoff) < 0) {
            throw new InvalidInput(field + ".max_backoff_seconds must not be below backoff_seconds");
        }
        Duration maxRetryAfter = seconds(given, "max_retry_after_seconds", field, 30, fallback.maxRetryAfter());
        return new RetryPolicy(attempts, backoff, maxBackoff, maxRetryAfter);
    }

    private static Duration seconds(Map<?, ?> given, String key, String field, int max, Duration fallback) {
        Object value = given.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number) || number.doubleValue() < 0 || number.doubleValue() > max) {
            throw new InvalidInput(field + "." + key + " must be a number of seconds from 0 to " + max + " but was " + value);
        }
        return Duration.ofMillis(Math.round(number.doubleValue() * 1000));
    }

    /** Whether an answer with this status is worth another attempt. */
    public boolean retriesStatus(int status) {
        return TRANSIENT_STATUSES.contains(status);
    }

    /** Whether a call that failed this way is worth another attempt (a refused address or an oversized body is not). */
    public boolean retriesFailure(OutboundFailure.Kind kind) {
        return kind == OutboundFailure.Kind.TIMEOUT || kind == OutboundFailure.Kind.UNREACHABLE;
    }

    /** The pause before attempt {@code next} (2 or more): exponential from the backoff, capped, half of it random. */
    public Duration backoffBefore(int next) {
        long exponential = backoff.toMillis() * (1L << Math.min(next - 2, 20));
        long capped = Math.min(exponential, maxBackoff.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + (half == 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1)));
    }

    /**
     * How long a 429 asks us to wait (Retry-After as seconds or an HTTP date), or empty when it says nothing usable;
     * a wait beyond {@code maxRetryAfter} means the call is not retried.
     */
    public static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.get()))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
