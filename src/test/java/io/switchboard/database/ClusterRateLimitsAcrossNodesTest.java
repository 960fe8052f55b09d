package io.switchboard.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * A provider's limit (Kommo: 7 requests a second per account) holds for the whole installation: two nodes — two
 * {@link ClusterRateLimits} with their own connection pools on one database — waiting for permits of one account
 * together get 7 a second, not 7 each.
 */
@IntegrationTest
class ClusterRateLimitsAcrossNodesTest {

    @Autowired
    ClusterRateLimits thisNode;

    @Autowired
    DataSource dataSource;

    @Autowired
    Environment environment;

    @Test
    void twoNodesWaitingForPermitsOfOneAccountShareItsSevenPerSecond() throws Exception {
        try (ClusterRateLimits otherNode = new ClusterRateLimits(dataSource, environment)) {
            ClusterRateLimits.Limit limit = thisNode.limit("kommo-test", "7/1s");
            String account = UUID.randomUUID().toString();
            ConcurrentLinkedQueue<String> granted = new ConcurrentLinkedQueue<>();
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(3).toNanos();
            ExecutorService callers = Executors.newFixedThreadPool(6);
            for (int i = 0; i < 6; i++) {
                ClusterRateLimits node = i % 2 == 0 ? thisNode : otherNode;
                String name = i % 2 == 0 ? "this" : "other";
                callers.submit(() -> {
                    while (System.nanoTime() < end) {
                        if (node.acquire(limit, account, Duration.ofMillis(500)) && System.nanoTime() < end) {
                            granted.add(name);
                        }
                    }
                });
            }
            callers.shutdown();
            assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

            List<String> all = List.copyOf(granted);
            // a full bucket (7) at the start, then 7 a second for 3 seconds; per node alone it would be twice that
            assertThat(all.size()).as("permits granted in 3 s to both nodes together").isBetween(21, 29);
            assertThat(all).as("both nodes got permits").contains("this", "other");
        }
    }
}
