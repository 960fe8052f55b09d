package io.switchboard.outbound;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.io.ByteArrayOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends a request to a tenant-set address: the guard checks the URL first, redirects are never followed (a
 * redirect could lead to an internal address), the whole call — connect, headers and body — has one deadline,
 * and a body over the cap is cut off and refused. Every call is logged with its host, status and duration.
 */
@Component
public class OutboundHttp {

    private static final Logger log = LoggerFactory.getLogger(OutboundHttp.class);

    /** An attempt with less time than this left is not worth starting. */
    private static final Duration MIN_ATTEMPT = Duration.ofMillis(50);

    private final OutboundGuard guard;
    private final OutboundProperties properties;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    public OutboundHttp(OutboundGuard guard, OutboundProperties properties) {
        this.guard = guard;
        this.properties = properties;
    }

    /**
     * Sends {@code request} once and waits at most {@code timeout} (the configured default when null).
     *
     * @throws OutboundFailure when the address is refused, nothing answers in time, or the body is too large;
     *                         an HTTP error status is a response, not a failure
     */
    public OutboundResponse send(HttpRequest request, Duration timeout) {
        return send(request, timeout, RetryPolicy.once());
    }

    /**
     * Sends {@code request}, retrying transient failures as {@code policy} allows, every attempt and pause within
     * the one overall {@code timeout}: an attempt (or a wait) that could not finish in the time left is not started,
     * and the last answer or failure stands. Each attempt is logged.
     *
     * @throws OutboundFailure as {@link #send(HttpRequest, Duration)}, for the last attempt
     */
    public OutboundResponse send(HttpRequest request, Duration timeout, RetryPolicy policy) {
        Duration overall = timeout == null ? properties.defaultTimeout() : timeout;
        long deadline = System.nanoTime() + overall.toNanos();
        for (int attempt = 1; ; attempt++) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            Duration pause;
            try {
                OutboundResponse response = attempt(request, left, overall, attempt, policy.maxAttempts());
                if (attempt >= policy.maxAttempts() || !policy.retriesStatus(response.status())) {
                    return response;
                }
                if (response.status() == 429) {
                    Optional<Duration> asked = RetryPolicy.retryAfter(response.headers(), Instant.now());
                    if (asked.isPresent() && asked.get().compareTo(policy.maxRetryAfter()) > 0) {
                        return response;
                    }
                    pause = asked.orElseGet(() -> policy.backoffBefore(2));
                } else {
                    pause = policy.backoffBefore(attempt + 1);
                }
                if (!startsInTime(request, pause, deadline, attempt)) {
                    return response;
                }
            } catch (OutboundFailure failure) {
                if (attempt >= policy.maxAttempts() || !policy.retriesFailure(failure.kind())) {
                    throw failure;
                }
                pause = policy.backoffBefore(attempt + 1);
                if (!startsInTime(request, pause, deadline, attempt)) {
                    throw failure;
                }
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OutboundFailure(OutboundFailure.Kind.TIMEOUT, "the call to " + request.uri().getHost() + " was interrupted");
            }
        }
    }

    /** Whether, after {@code pause}, a next attempt would still have time left before the overall deadline. */
    private static boolean startsInTime(HttpRequest request, Duration pause, long deadline, int attempt) {
        boolean inTime = System.nanoTime() + pause.toNanos() + MIN_ATTEMPT.toNanos() < deadline;
        if (!inTime) {
            log.info("Outbound {} {}: no attempt {} — waiting {} ms would leave too little of the call's time", request.method(),
                    request.uri().getHost(), attempt + 1, pause.toMillis());
        }
        return inTime;
    }

    private OutboundResponse attempt(HttpRequest request, Duration left, Duration overall, int attempt, int attempts) {
        String url = request.uri().toString();
        guard.refusal(url).ifPresent(reason -> {
            throw new OutboundFailure(OutboundFailure.Kind.REFUSED, reason);
        });
        long started = System.nanoTime();
        HttpRequest timed = HttpRequest.newBuilder(request, (name, value) -> true).timeout(left).build();
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(timed, info -> new CappedBody(properties.maxResponseBytes()));
        try {
            HttpResponse<byte[]> response = call.get(left.toMillis(), TimeUnit.MILLISECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            log.info("Outbound {} {} → {} in {} ms (attempt {} of {})", request.method(), request.uri().getHost(), response.statusCode(),
                    took.toMillis(), attempt, attempts);
            return new OutboundResponse(response.statusCode(), response.headers(), response.body(), took);
        } catch (TimeoutException e) {
            call.cancel(true);
            log.info("Outbound {} {} timed out after {} ms (attempt {} of {})", request.method(), request.uri().getHost(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis(), attempt, attempts);
            throw timedOut(request, overall);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new OutboundFailure(OutboundFailure.Kind.TIMEOUT, "the call to " + request.uri().getHost() + " was interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            log.info("Outbound {} {} failed after {} ms (attempt {} of {}): {}", request.method(), request.uri().getHost(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis(), attempt, attempts, String.valueOf(cause));
            if (cause instanceof OutboundFailure failure) {
                throw failure;
            }
            if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) {
                throw timedOut(request, overall);
            }
            if (cause instanceof ConnectException || cause instanceof IOException) {
                throw new OutboundFailure(OutboundFailure.Kind.UNREACHABLE, request.uri().getHost() + " could not be reached ("
                        + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()) + ")");
            }
            throw new OutboundFailure(OutboundFailure.Kind.UNREACHABLE, request.uri().getHost() + " could not be reached: " + cause);
        }
    }

    /** The maximum response body this installation accepts, in bytes. */
    public long maxResponseBytes() {
        return properties.maxResponseBytes();
    }

    private static OutboundFailure timedOut(HttpRequest request, Duration deadline) {
        return new OutboundFailure(OutboundFailure.Kind.TIMEOUT,
                request.uri().getHost() + " did not answer within " + deadline.toMillis() + " ms");
    }

    /** Collects the body up to the cap; beyond it, stops reading and fails the call. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final long cap;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBody(long cap) {
            this.cap = cap;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + buffer.remaining() > cap) {
                    subscription.cancel();
                    result.completeExceptionally(new OutboundFailure(OutboundFailure.Kind.TOO_LARGE,
                            "the response is larger than the limit of " + cap + " bytes"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
