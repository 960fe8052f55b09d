package io.switchboard.channel.provider;

import java.time.Duration;

/** The verdict of one send attempt: delivered to the provider, worth retrying, or hopeless. */
public sealed interface SendResult {

    /** The provider accepted the message; track its status with this id. */
    record Sent(String providerMessageId) implements SendResult {
    }

    /**
     * Temporary trouble (rate limit, provider outage, network): try again later.
     *
     * @param code       provider error code, {@code http_<status>}, {@code network} (the request never left) or
     *                   {@link #IN_DOUBT} (it may have reached the provider)
     * @param reason     readable explanation
     * @param retryAfter how long the provider asked us to wait, {@code null} when it did not say
     */
    record Retryable(String code, String reason, Duration retryAfter) implements SendResult {

        /** The request may have reached the provider before the failure: ask it before sending again. */
        public static final String IN_DOUBT = "network_in_doubt";

        public boolean mayHaveArrived() {
            return IN_DOUBT.equals(code);
        }
    }

    /**
     * Retrying cannot help (bad number, opted out, outside the 24-hour window, bad credentials):
     * mark the message failed and fall back to a human.
     *
     * @param code   provider error code, {@code http_<status>}, or {@code configuration}
     * @param reason readable explanation for the inbox
     */
    record Permanent(String code, String reason) implements SendResult {
    }
}
