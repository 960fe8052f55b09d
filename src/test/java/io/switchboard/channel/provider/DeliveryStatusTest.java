package io.switchboard.channel.provider;

import static io.switchboard.channel.provider.DeliveryStatus.DELIVERED;
import static io.switchboard.channel.provider.DeliveryStatus.FAILED;
import static io.switchboard.channel.provider.DeliveryStatus.QUEUED;
import static io.switchboard.channel.provider.DeliveryStatus.READ;
import static io.switchboard.channel.provider.DeliveryStatus.SENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryStatusTest {

    /** Applies callbacks in arrival order the way the delivery tracking must. */
    private static DeliveryStatus apply(DeliveryStatus current, List<DeliveryStatus> arriving) {
        for (DeliveryStatus next : arriving) {
            if (next.advancesFrom(current)) {
                current = next;
            }
        }
        return current;
    }

    @Test
    void a_delivered_callback_arriving_after_read_leaves_the_message_read() {
        assertThat(apply(QUEUED, List.of(READ, DELIVERED, SENT))).isEqualTo(READ);
    }

    @Test
    void a_failure_after_delivery_is_ignored() {
        assertThat(apply(SENT, List.of(DELIVERED, FAILED))).isEqualTo(DELIVERED);
        assertThat(FAILED.advancesFrom(READ)).isFalse();
    }

    @Test
    void a_failure_replaces_queued_or_sent() {
        assertThat(FAILED.advancesFrom(QUEUED)).isTrue();
        assertThat(FAILED.advancesFrom(SENT)).isTrue();
    }

    @Test
    void a_failed_message_stays_failed_and_the_same_status_is_not_an_advance() {
        assertThat(apply(FAILED, List.of(SENT, DELIVERED, READ))).isEqualTo(FAILED);
        for (DeliveryStatus status : DeliveryStatus.values()) {
            assertThat(status.advancesFrom(status)).as(status.name()).isFalse();
        }
    }

    @Test
    void statuses_move_forward_in_order() {
        assertThat(apply(QUEUED, List.of(SENT, DELIVERED, READ))).isEqualTo(READ);
        assertThat(SENT.advancesFrom(null)).isTrue();
    }

    @Test
    void twilio_statuses_are_mapped_and_inbound_only_ones_are_ignored() {
        assertThat(DeliveryStatus.fromTwilio("accepted")).contains(QUEUED);
        assertThat(DeliveryStatus.fromTwilio("sending")).contains(QUEUED);
        assertThat(DeliveryStatus.fromTwilio("sent")).contains(SENT);
        assertThat(DeliveryStatus.fromTwilio("delivered")).contains(DELIVERED);
        assertThat(DeliveryStatus.fromTwilio("read")).contains(READ);
        assertThat(DeliveryStatus.fromTwilio("undelivered")).contains(FAILED);
        assertThat(DeliveryStatus.fromTwilio("canceled")).contains(FAILED);
        assertThat(DeliveryStatus.fromTwilio("received")).isEqualTo(Optional.empty());
        assertThat(DeliveryStatus.fromTwilio(null)).isEmpty();
    }

    @Test
    void meta_statuses_are_mapped() {
        assertThat(DeliveryStatus.fromMeta("sent")).contains(SENT);
        assertThat(DeliveryStatus.fromMeta("delivered")).contains(DELIVERED);
        assertThat(DeliveryStatus.fromMeta("read")).contains(READ);
        assertThat(DeliveryStatus.fromMeta("failed")).contains(FAILED);
        assertThat(DeliveryStatus.fromMeta("deleted")).isEmpty();
    }
}
