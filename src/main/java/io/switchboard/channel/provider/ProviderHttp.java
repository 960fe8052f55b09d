package io.switchboard.channel.provider;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;

/** What every sender shares: timeouts, the network-failure verdict, and Retry-After. */
final class ProviderHttp {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private ProviderHttp() {
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A call that may fail at the network level. */
    interface Call {
        SendResult run() throws IOException, InterruptedException;
    }

    /**
     * Runs the call. Failures before the request could leave (no connection) become {@code Retryable('network', …)};
     * failures after it may have reached the provider (no answer in time, connection dropped, interrupted) become
     * {@code Retryable(SendResult.Retryable.IN_DOUBT, …)}, so the caller asks before sending again.
     */
    static SendResult guarded(String provider, Call call) {
        try {
            return call.run();
        } catch (HttpConnectTimeoutException | ConnectException | UnknownHostException | SSLHandshakeException e) {
            return new SendResult.Retryable("network", "Could not reach " + provider + " (" + detail(e) + ")", null);
        } catch (HttpTimeoutException e) {
            return new SendResult.Retryable(SendResult.Retryable.IN_DOUBT, provider + " did not answer in time: " + e.getMessage(), null);
        } catch (IOException e) {
            return new SendResult.Retryable(SendResult.Retryable.IN_DOUBT,
                    "The connection to " + provider + " broke before it answered (" + detail(e) + ")", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendResult.Retryable(SendResult.Retryable.IN_DOUBT, "Sending to " + provider + " was interrupted", null);
        }
    }

    private static String detail(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Retry-After as seconds or as an HTTP date; {@code null} when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        if (header.isEmpty() || header.get().isBlank()) {
            return null;
        }
        String value = header.get().strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration wait = Duration.between(Instant.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    static boolean isRetryableStatus(int status) {
        return status == 429 || status >= 500;
    }

    /** A short excerpt of an unexpected body for error messages. */
    static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }

    static String stripBaseUrl(String baseUrl) {
        String base = baseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base;
    }
}
