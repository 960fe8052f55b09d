package io.switchboard.conversation;

import java.util.Arrays;

/**
 * Where a message stands. Inbound messages are {@code RECEIVED}; outbound ones move forward only:
 * {@code SCHEDULED → QUEUED → SENDING → SENT → DELIVERED → READ}. {@code SENDING} is committed before each provider
 * call, so a delivery revived after a crash knows a call may have left; {@code UNCONFIRMED} is such a call nobody
 * can confirm (a person decides); {@code FAILED} and {@code DISCARDED} are final.
 */
public enum MessageStatus {
    RECEIVED, SCHEDULED, QUEUED, SENDING, SENT, DELIVERED, READ, FAILED, UNCONFIRMED, DISCARDED;

    /** The value stored in the database and shown in the API. */
    public String db() {
        return name().toLowerCase();
    }

    public static MessageStatus fromDb(String value) {
        return Arrays.stream(values()).filter(s -> s.db().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown message status " + value));
    }

    /** Not yet handed to the provider: the delivery job may still send it (or discard it). */
    public boolean awaitingDelivery() {
        return this == SCHEDULED || this == QUEUED;
    }
}
