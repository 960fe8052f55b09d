package io.switchboard.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.IntegrationTest;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
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
