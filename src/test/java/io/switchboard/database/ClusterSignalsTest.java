package io.switchboard.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.IntegrationTest;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** Another node is played by a second connection that LISTENs like every node does. */
@IntegrationTest
class ClusterSignalsTest {

    @Autowired
    ClusterSignals signals;

    @Autowired
    DataSource dataSource;

    @Autowired
    TransactionTemplate transaction;

    @Test
    void aSignalReachesOtherNodesOnlyWhenItsTransactionCommits() throws Exception {
        try (Connection otherNode = dataSource.getConnection()) {
            otherNode.createStatement().execute("LISTEN switchboard_signals");
            PGConnection listening = otherNode.unwrap(PGConnection.class);

            transaction.executeWithoutResult(status -> {
                signals.publish("test_topic", "committed");
                assertThat(receive(listening, 300)).as("nothing leaves before the commit").isEmpty();
            });
            assertThat(receive(listening, 2000)).containsExactly("test_topic|committed");

            transaction.executeWithoutResult(status -> {
                signals.publish("test_topic", "rolled back");
                status.setRollbackOnly();
            });
            assertThat(receive(listening, 500)).as("a rolled back change is never announced").isEmpty();
        }
    }

    @Test
    void signalsOfManyConcurrentTransactionsAllArriveOnceInTheOrderEachWasSent() throws Exception {
        try (Connection otherNode = dataSource.getConnection()) {
            otherNode.createStatement().execute("LISTEN switchboard_signals");
            PGConnection listening = otherNode.unwrap(PGConnection.class);
            int writers = 8;
            int each = 50;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            for (int w = 0; w < writers; w++) {
                int writer = w;
                pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        int n = i;
                        transaction.executeWithoutResult(status -> signals.publish("burst", writer + ":" + n));
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            List<String> received = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (received.size() < writers * each && System.currentTimeMillis() < deadline) {
                received.addAll(receive(listening, 500));
            }
            assertThat(received).hasSize(writers * each).doesNotHaveDuplicates();
            for (int w = 0; w < writers; w++) {
                String prefix = "burst|" + w + ":";
                assertThat(received.stream().filter(p -> p.startsWith(prefix)).map(p -> Integer.parseInt(p.substring(prefix.length()))))
                        .as("writer %d's signals in the order it sent them", w).isSorted();
            }
        }
    }

    @Test
    void aStoppedNodeStillSignalsWhatItsRemainingJobsCommit() throws Exception {
        // a node shutting down (or a paused test context) still finishes jobs: their signals must not wait for a
        // sender that is gone
        try (Connection otherNode = dataSource.getConnection()) {
            otherNode.createStatement().execute("LISTEN switchboard_signals");
            PGConnection listening = otherNode.unwrap(PGConnection.class);
            signals.stop();
            try {
                transaction.executeWithoutResult(status -> signals.publish("test_topic", "while stopped"));
                assertThat(receive(listening, 2000)).containsExactly("test_topic|while stopped");
            } finally {
                signals.start();
            }
        }
    }

    private static List<String> receive(PGConnection connection, int millis) {
        try {
            List<String> payloads = new ArrayList<>();
            PGNotification[] received = connection.getNotifications(millis);
            if (received != null) {
                for (PGNotification n : received) {
                    payloads.add(n.getParameter());
                }
            }
            return payloads;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
