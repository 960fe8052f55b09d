package io.switchboard.ai.llm;

import dev.langchain4j.exception.HttpException;
import io.switchboard.ai.llm.ProviderHttpClient.ProviderHttpError;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns whatever an OpenAI-compatible call threw into an {@link LlmCallException}.
 *
 * <p>The HTTP status alone is not enough: OpenAI answers 429 both for "slow down"
 * ({@code rate_limit_exceeded}, retry) and for "no credit" ({@code insufficient_quota}, never
 * retry), and the official SDKs retry both. So the error body's {@code error.code} and
 * {@code error.type} decide.
 */
final class ProviderFailureClassifier {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_DETAIL_LENGTH = 500;

    private ProviderFailureClassifier() {}

    static LlmCallException classify(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProviderHttpError error) {
                return fromHttpError(error.statusCode(), error.body(), retryAfter(error), thrown);
            }
            if (cause instanceof HttpException error) {
                return fromHttpError(error.statusCode(), error.getMessage(), null, thrown);
            }
            // Connect timeouts are timeouts too (checked before ConnectException-like causes).
            if (cause instanceof HttpConnectTimeoutException
                    || cause instanceof HttpTimeoutException
                    || cause instanceof SocketTimeoutException
                    || cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof dev.langchain4j.exception.TimeoutException) {
                return new LlmCallException(FailureReason.TIMEOUT, cause.getMessage(), null, 0, thrown);
            }
            if (cause instanceof ConnectException
                    || cause instanceof NoRouteToHostException
                    || cause instanceof UnknownHostException
                    || cause instanceof UnresolvedAddressException) {
                return new LlmCallException(
                        FailureReason.PROVIDER_UNAVAILABLE, "Could not connect: " + cause, null, 0, thrown);
            }
        }
        if (thrown instanceof IllegalArgumentException) {
            // LangChain4j validates requests before sending (e.g. a blank user message).
            return new LlmCallException(FailureReason.BAD_REQUEST, thrown.getMessage(), null, 0, thrown);
        }
        if (thrown instanceof java.io.UncheckedIOException || thrown.getCause() instanceof java.io.IOException) {
            // A connection reset or a truncated answer: the network, not our request.
            return new LlmCallException(FailureReason.PROVIDER_UNAVAILABLE, String.valueOf(thrown), null, 0, thrown);
        }
        return new LlmCallException(FailureReason.OTHER, String.valueOf(thrown), null, 0, thrown);
    }

    static LlmCallException fromHttpError(int status, String body, Duration retryAfter, Throwable cause) {
        ProviderError error = ProviderError.parse(body);
        FailureReason reason = reasonFor(status, error);
        String detail = "(HTTP " + status + (error.code() != null ? ", " + error.code() : "") + ") " + error.message();
        return new LlmCallException(reason, detail.strip(), reason.retryable() ? retryAfter : null, status, cause);
    }

    private static FailureReason reasonFor(int status, ProviderError error) {
        if (error.is("insufficient_quota") || error.is("billing_hard_limit_reached")) {
            return FailureReason.QUOTA_EXHAUSTED;
        }
        if (status == 401 || status == 403 || error.is("invalid_api_key")) {
            return FailureReason.INVALID_KEY;
        }
        if (status == 429) {
            return FailureReason.RATE_LIMIT;
        }
        if (status == 408) {
            return FailureReason.TIMEOUT;
        }
        if (status >= 500) {
            return FailureReason.PROVIDER_UNAVAILABLE;
        }
        if (status == 400 || status == 404 || status == 413 || status == 422) {
            return FailureReason.BAD_REQUEST;
        }
        return FailureReason.OTHER;
    }

    /** {@code retry-after-ms} (sent by OpenAI and Azure) wins over {@code Retry-After} (seconds or an HTTP date). */
    private static Duration retryAfter(ProviderHttpError error) {
        try {
            String millis = error.header("retry-after-ms");
            if (millis != null) {
                return Duration.ofMillis(Math.round(Double.parseDouble(millis.strip())));
            }
            String value = error.header("retry-after");
            if (value == null || value.isBlank()) {
                return null;
            }
            if (value.strip().matches("\\d+(\\.\\d+)?")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(value.strip()) * 1000));
            }
            Duration untilDate = Duration.between(
                    ZonedDateTime.now(), ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
            return untilDate.isNegative() ? Duration.ZERO : untilDate;
        } catch (RuntimeException unparseable) {
            return null;
        }
    }

    /** The {@code {"error":{"message","type","param","code"}}} body; fields null when absent or not JSON. */
    private record ProviderError(String message, String type, String code) {

        static ProviderError parse(String body) {
            if (body == null || body.isBlank()) {
                return new ProviderError("", null, null);
            }
            try {
                JsonNode error = JSON.readTree(body).path("error");
                if (error.isObject()) {
                    return new ProviderError(
                            text(error.path("message")), nullableText(error.path("type")), nullableText(error.path("code")));
                }
                if (error.isString()) { // some compatible servers answer {"error": "..."}
                    return new ProviderError(error.asString(), null, null);
                }
            } catch (RuntimeException notJson) {
                // fall through: keep the raw body as the message
            }
            return new ProviderError(abbreviate(body), null, null);
        }

        boolean is(String codeOrType) {
            return codeOrType.equals(code) || codeOrType.equals(type);
        }

        private static String nullableText(JsonNode node) {
            return node.isMissingNode() || node.isNull() ? null : node.asString().toLowerCase(Locale.ROOT);
        }

        private static String text(JsonNode node) {
            return node.isMissingNode() || node.isNull() ? "" : abbreviate(node.asString());
        }

        private static String abbreviate(String text) {
            return text.length() <= MAX_DETAIL_LENGTH ? text : text.substring(0, MAX_DETAIL_LENGTH) + "…";
        }
    }
}
