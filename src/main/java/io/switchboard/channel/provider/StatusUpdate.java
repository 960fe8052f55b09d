package io.switchboard.channel.provider;

import java.time.Instant;

/**
 * A provider's report on an outbound message. Apply it only when
 * {@code status.advancesFrom(current)}: providers deliver these out of order.
 *
 * @param providerMessageId id returned when the message was sent
 * @param status            the reported status
 * @param errorCode         provider error code as text, {@code null} when none
 * @param errorReason       readable explanation of the error, {@code null} when none
 * @param at                when the provider says it happened, or when it was parsed
 */
public record StatusUpdate(String providerMessageId, DeliveryStatus status, String errorCode,
                           String errorReason, Instant at) {
}
