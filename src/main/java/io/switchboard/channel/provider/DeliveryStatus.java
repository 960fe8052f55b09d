package io.switchboard.channel.provider;

import java.util.Locale;
import java.util.Optional;

/**
 * Where an outbound message stands. Statuses only move forward:
 * {@code QUEUED < SENT < DELIVERED < READ}; {@code FAILED} may replace {@code QUEUED} or
 * {@code SENT} but never a message the customer already received.
 */
public enum DeliveryStatus {
    QUEUED, SENT, DELIVERED, READ, FAILED;

    /**
     * Whether this status, reported now, should replace {@code current}. Callbacks arrive out of
     * order (a 'delivered' after a 'read'), so anything that is not strictly forward is ignored.
     * A {@code null} current status (nothing recorded yet) is advanced by any status.
     */
    public boolean advancesFrom(DeliveryStatus current) {
        if (current == null) {
            return true;
        }
        if (current == FAILED) {
            return false;
        }
        if (this == FAILED) {
            return current == QUEUED || current == SENT;
        }
        return this.ordinal() > current.ordinal();
    }

    /** Maps Twilio's {@code MessageStatus}; transitional or inbound-only values map to empty. */
    public static Optional<DeliveryStatus> fromTwilio(String status) {
        if (status == null) {
            return Optional.empty();
        }
        return switch (status.trim().toLowerCase(Locale.ROOT)) {
            case "queued", "accepted", "scheduled", "sending" -> Optional.of(QUEUED);
            case "sent" -> Optional.of(SENT);
            case "delivered" -> Optional.of(DELIVERED);
            case "read" -> Optional.of(READ);
            case "failed", "undelivered", "canceled" -> Optional.of(FAILED);
            default -> Optional.empty();
        };
    }

    /** Maps Meta Cloud API's {@code statuses[].status}; unknown values (e.g. 'deleted') map to empty. */
    public static Optional<DeliveryStatus> fromMeta(String status) {
        if (status == null) {
            return Optional.empty();
        }
        return switch (status.trim().toLowerCase(Locale.ROOT)) {
            case "sent" -> Optional.of(SENT);
            case "delivered" -> Optional.of(DELIVERED);
            case "read" -> Optional.of(READ);
            case "failed" -> Optional.of(FAILED);
            default -> Optional.empty();
        };
    }
}
