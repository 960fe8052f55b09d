package io.switchboard.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Token buckets shared by every node, kept in PostgreSQL through Bucket4j's PostgreSQL backend (one row of
 * {@code rate_limit_buckets} per limited key, locked with {@code select … for update} while it is updated).
 * A limit is named and configured as {@code switchboard.rate-limits.<name>=<capacity>/<period>}, e.g.
 * {@code 10/15m}: at most that many in any such period, refilled gradually.
 */
@Component
public class ClusterRateLimits implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterRateLimits.class);
    private static final Pattern SPEC = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d*)\\s*(ms|s|m|h|d)\\s*");

    /** A named limit: {@code capacity} events per {@code period}. */
    public record Limit(String name, long capacity, Duration period) {
    }

    /** The answer to one attempt: allowed, or refused with how long to wait before the next one can pass. */
    public record Verdict(boolean allowed, Duration retryAfter) {
        /** Whole seconds for a {@code Retry-After} header, at least 1. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    private final Environment environment;
    private final HikariDataSource connections;

    ClusterRateLimits(DataSource dataSource, Environment environment) throws SQLException {
        this.environment = environment;
        this.connections = ownPool(dataSource);
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(connections)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets").idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                // a bucket refilled to the brim is the same as no bucket: its row may go
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build();
    }

    /**
     * Buckets are counted on every API request and web chat message. Their commits need not wait for the WAL
     * flush (a crash may forget the last milliseconds of counting, which only lets a few more requests through),
     * and on a connection pool of their own they never wait behind a burst of application work.
     */
    private static HikariDataSource ownPool(DataSource application) throws SQLException {
        HikariConfig config = new HikariConfig();
        application.unwrap(HikariDataSource.class).copyStateTo(config);
        config.setPoolName("switchboard-rate-limits");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setConnectionInitSql("set synchronous_commit to off");
        return new HikariDataSource(config);
    }

    @Override
    public void close() {
        connections.close();
    }

    /** The limit {@code name} as configured, or as {@code defaultSpec} (e.g. {@code "10/15m"}) says. */
    public Limit limit(String name, String defaultSpec) {
        String spec = environment.getProperty("switchboard.rate-limits." + name, defaultSpec);
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            throw new IllegalStateException("switchboard.rate-limits." + name + " must look like 10/15m (capacity/period), not " + spec);
        }
        long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
        Duration period = switch (m.group(3)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        return new Limit(name, Long.parseLong(m.group(1)), period);
    }

    /** Counts one event against {@code key} under {@code limit}; refused when the bucket is empty. */
    public Verdict consume(Limit limit, String key) {
        ConsumptionProbe probe = bucket(limit, key).tryConsumeAndReturnRemaining(1);
        return new Verdict(probe.isConsumed(), Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /**
     * Takes one permit of {@code limit} for {@code key}, waiting for it at most {@code maxWait} — the wait is reserved
     * in the shared bucket, so callers on every node queue behind each other. False (nothing taken) when no permit
     * comes in time.
     */
    public boolean acquire(Limit limit, String key, Duration maxWait) {
        try {
            return bucket(limit, key).asBlocking().tryConsume(1, maxWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Gives back an event counted by {@link #consume} (a sign-in that turned out right is not an attempt to guess). */
    public void refund(Limit limit, String key) {
        bucket(limit, key).addTokens(1);
    }

    /** Rows of buckets that have refilled completely carry no information any more. */
    @Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
    void removeExpired() {
        try {
            int removed;
            do {
                removed = buckets.removeExpired(1000);
            } while (removed == 1000);
        } catch (RuntimeException e) {
            log.debug("Could not sweep expired rate limit buckets this time", e);
        }
    }

    private BucketProxy bucket(Limit limit, String key) {
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(l -> l.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
                .build();
        return buckets.builder().build(limit.name() + ":" + key, () -> configuration);
    }
}
