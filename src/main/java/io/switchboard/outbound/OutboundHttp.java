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
import java.util.List;
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
     * Sends {@code request} and waits at most {@code timeout} (the configured default when null).
     *
     * @throws OutboundFailure when the address is refused, nothing answers in time, or the body is too large;
     *                         an HTTP error status is a response, not a failure
     */
    public OutboundResponse send(HttpRequest request, Duration timeout) {
        Duration deadline = timeout == null ? properties.defaultTimeout() : timeout;
        String url = request.uri().toString();
        guard.refusal(url).ifPresent(reason -> {
            throw new OutboundFailure(OutboundFailure.Kind.REFUSED, reason);
        });
        long started = System.nanoTime();
        HttpRequest timed = HttpRequest.newBuilder(request, (name, value) -> true).timeout(deadline).build();
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(timed, info -> new CappedBody(properties.maxResponseBytes()));
        try {
            HttpResponse<byte[]> response = call.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            log.info("Outbound {} {} → {} in {} ms", request.method(), request.uri().getHost(), response.statusCode(), took.toMillis());
            return new OutboundResponse(response.statusCode(), response.headers(), response.body(), took);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw timedOut(request, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new OutboundFailure(OutboundFailure.Kind.TIMEOUT, "the call to " + request.uri().getHost() + " was interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            log.info("Outbound {} {} failed after {} ms: {}", request.method(), request.uri().getHost(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis(), String.valueOf(cause));
            if (cause instanceof OutboundFailure failure) {
                throw failure;
            }
            if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) {
                throw timedOut(request, deadline);
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
