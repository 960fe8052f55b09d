package io.switchboard.crm;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per organization, so one busy tenant cannot push another's Kommo account over its limit.
 * In-process only: several Switchboard instances sharing one Kommo account each get the full rate.
 */
final class PerOrganizationRateLimit {

    private final double permitsPerSecond;
    private final ConcurrentHashMap<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    PerOrganizationRateLimit(double permitsPerSecond) {
        this.permitsPerSecond = permitsPerSecond;
    }

    /**
     * Takes a permit, waiting for one at most {@code maxWait}.
     *
     * @return false when no permit comes in time (nothing is taken then)
     */
    boolean acquire(UUID organizationId, Duration maxWait) {
        long waitNanos = buckets.computeIfAbsent(organizationId, id -> new Bucket()).reserve(maxWait.toNanos());
        if (waitNanos < 0) {
            return false;
        }
        if (waitNanos > 0) {
            try {
                java.util.concurrent.TimeUnit.NANOSECONDS.sleep(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private final class Bucket {

        private double permits = permitsPerSecond;
        private long refilledAt = System.nanoTime();

        /** Reserves the next permit and says how long to wait for it, or -1 when that is longer than allowed. */
        synchronized long reserve(long maxWaitNanos) {
            long now = System.nanoTime();
            permits = Math.min(permitsPerSecond, permits + (now - refilledAt) * permitsPerSecond / 1e9);
            refilledAt = now;
            long wait = permits >= 1 ? 0 : (long) Math.ceil((1 - permits) / permitsPerSecond * 1e9);
            if (wait > maxWaitNanos) {
                return -1;
            }
            // a reservation may drive the bucket negative: later callers wait behind it
            permits -= 1;
            return wait;
        }
    }
}
