package io.switchboard.ai.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * LangChain4j's HTTP SPI implemented on {@code java.net.http}, for two things the stock
 * {@code JdkHttpClient} cannot do:
 *
 * <ul>
 *   <li>an error response keeps its headers and body: it is thrown as a {@link ProviderHttpError},
 *       which LangChain4j's exception mapper keeps as the cause of its {@code RateLimitException}
 *       etc., so we can read {@code Retry-After} and tell {@code rate_limit_exceeded} from
 *       {@code insufficient_quota} (the stock client throws a bare {@link HttpException} with the
 *       status and body only, and drops the headers);
 *   <li>a per-call timeout: LangChain4j fixes timeouts when the model is built, but each of our
 *       calls gets what is left of the turn's deadline. The caller binds it to the thread with
 *       {@link #withCallTimeout} ({@code OpenAiChatModel.chat} executes synchronously on the
 *       calling thread) and it bounds the whole exchange, from sending to the last byte.
 * </ul>
 *
 * Streaming is not used by Switchboard and is not supported.
 */
final class ProviderHttpClient implements HttpClient {

    private static final ThreadLocal<Duration> CALL_TIMEOUT = new ThreadLocal<>();

    private final java.net.http.HttpClient jdk;
    private final Duration defaultTimeout;

    ProviderHttpClient(java.net.http.HttpClient jdk, Duration defaultTimeout) {
        this.jdk = jdk;
        this.defaultTimeout = defaultTimeout;
    }

    /** Runs {@code call} with every HTTP exchange it makes on this thread bounded by {@code timeout}. */
    static <T> T withCallTimeout(Duration timeout, Supplier<T> call) {
        Duration previous = CALL_TIMEOUT.get();
        CALL_TIMEOUT.set(timeout);
        try {
            return call.get();
        } finally {
            if (previous == null) {
                CALL_TIMEOUT.remove();
            } else {
                CALL_TIMEOUT.set(previous);
            }
        }
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        Duration timeout = CALL_TIMEOUT.get() != null ? CALL_TIMEOUT.get() : defaultTimeout;
        CompletableFuture<HttpResponse<String>> exchange =
                jdk.sendAsync(toJdkRequest(request, timeout), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        HttpResponse<String> response = awaitWithin(exchange, timeout);
        if (response.statusCode() >= 200 && response.statusCode() < 300) {
            return SuccessfulHttpResponse.builder()
                    .statusCode(response.statusCode())
                    .headers(response.headers().map())
                    .body(response.body())
                    .build();
        }
        throw new ProviderHttpError(response.statusCode(), response.body(), response.headers().map());
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        throw new UnsupportedOperationException("Streaming is not used by Switchboard's LLM client");
    }

    private static java.net.http.HttpRequest toJdkRequest(HttpRequest request, Duration timeout) {
        java.net.http.HttpRequest.Builder builder =
                java.net.http.HttpRequest.newBuilder(URI.create(request.url())).timeout(timeout);
        request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        String body = request.body() == null ? "" : request.body();
        switch (request.method()) {
            case GET -> builder.GET();
            case DELETE -> builder.DELETE();
            case POST -> builder.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    // The request timeout of java.net.http stops at the response headers; waiting on the future
    // bounds the body too, so a provider trickling bytes cannot hold the turn past its deadline.
    private static HttpResponse<String> awaitWithin(CompletableFuture<HttpResponse<String>> exchange, Duration timeout) {
        try {
            return exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new UncheckedIOException(new HttpTimeoutException("no complete answer within " + timeout));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new LangChain4jException("interrupted while waiting for the LLM provider", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io.getMessage(), io);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new LangChain4jException(cause);
        }
    }

    /** A non-2xx answer with everything needed to classify it. */
    static final class ProviderHttpError extends HttpException {

        private final String body;
        private final Map<String, List<String>> headers;

        ProviderHttpError(int statusCode, String body, Map<String, List<String>> headers) {
            super(statusCode, body);
            this.body = body;
            this.headers = headers;
        }

        String body() {
            return body;
        }

        /** First value of a header, matched case-insensitively; null when absent. */
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty())
                    .map(entry -> entry.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** Hands LangChain4j a client that shares one connection pool across all cached models. */
    static final class Builder implements HttpClientBuilder {

        private final java.net.http.HttpClient jdk;
        private Duration connectTimeout;
        private Duration readTimeout = Duration.ofSeconds(60);

        Builder(java.net.http.HttpClient jdk) {
            this.jdk = jdk;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            if (timeout != null) {
                this.readTimeout = timeout;
            }
            return this;
        }

        @Override
        public HttpClient build() {
            return new ProviderHttpClient(jdk, readTimeout);
        }
    }
}
