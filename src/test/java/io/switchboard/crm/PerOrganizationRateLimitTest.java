package io.switchboard.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PerOrganizationRateLimitTest {

    @Test
    void sevenRequestsPassAtOnceAndTheEighthMustWait() {
        PerOrganizationRateLimit limit = new PerOrganizationRateLimit(7);
        UUID organization = UUID.randomUUID();
        for (int i = 0; i < 7; i++) {
            assertThat(limit.acquire(organization, Duration.ZERO)).isTrue();
        }
        assertThat(limit.acquire(organization, Duration.ZERO)).isFalse();

        long started = System.nanoTime();
        assertThat(limit.acquire(organization, Duration.ofSeconds(1))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(50));
    }

    @Test
    void oneOrganizationDoesNotUseAnothersPermits() {
        PerOrganizationRateLimit limit = new PerOrganizationRateLimit(7);
        UUID busy = UUID.randomUUID();
        for (int i = 0; i < 7; i++) {
            limit.acquire(busy, Duration.ZERO);
        }
        assertThat(limit.acquire(UUID.randomUUID(), Duration.ZERO)).isTrue();
    }
}
