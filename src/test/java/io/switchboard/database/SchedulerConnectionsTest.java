package io.switchboard.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import io.switchboard.support.IntegrationTest;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Jobs are scheduled in the transaction of the change that needs them, while the scheduler's own bookkeeping
 * (polling, heartbeats, completing executions) keeps working when every application connection is taken.
 */
@IntegrationTest
class SchedulerConnectionsTest {

    private static final TaskDescriptor<Void> UNKNOWN_TASK = TaskDescriptor.of("scheduler-connections-test");

    @Autowired
    SchedulerClient scheduler;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aJobScheduledInARolledBackTransactionNeverExistsAndOneInACommittedTransactionDoes() {
        String rolledBack = UUID.randomUUID().toString();
        String committed = UUID.randomUUID().toString();
        transaction.executeWithoutResult(status -> {
            scheduler.scheduleIfNotExists(UNKNOWN_TASK.instance(rolledBack).scheduledTo(Instant.now().plusSeconds(3600)));
            status.setRollbackOnly();
        });
        transaction.executeWithoutResult(status ->
                scheduler.scheduleIfNotExists(UNKNOWN_TASK.instance(committed).scheduledTo(Instant.now().plusSeconds(3600))));

        assertThat(instances()).contains(committed).doesNotContain(rolledBack);
    }

    @Test
    void theSchedulerStillReadsItsTableWhileEveryApplicationConnectionIsHeld() throws Exception {
        String instance = UUID.randomUUID().toString();
        scheduler.scheduleIfNotExists(UNKNOWN_TASK.instance(instance).scheduledTo(Instant.now().plusSeconds(3600)));
        List<Connection> held = new ArrayList<>();
        try {
            // take every connection of the application's pool, as a burst of turns would
            while (true) {
                CompletableFuture<Connection> next = CompletableFuture.supplyAsync(() -> {
                    try {
                        return dataSource.getConnection();
                    } catch (Exception exhausted) {
                        return null;
                    }
                });
                Connection connection;
                try {
                    connection = next.get(2, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException exhausted) {
                    next.cancel(true);
                    next.thenAccept(late -> close(late));
                    break;
                }
                if (connection == null) {
                    break;
                }
                held.add(connection);
            }
            assertThat(held).as("the application's pool is exhausted").isNotEmpty();

            CompletableFuture<Boolean> found = CompletableFuture.supplyAsync(() -> scheduler.getScheduledExecution(
                    UNKNOWN_TASK.instanceId(instance)).isPresent());
            assertThat(found.get(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            held.forEach(SchedulerConnectionsTest::close);
        }
    }

    private List<String> instances() {
        return TenantScope.asSystem(() -> jdbc.sql("select task_instance from scheduled_tasks where task_name = ?")
                .param(UNKNOWN_TASK.getTaskName()).query(String.class).list());
    }

    private static void close(Connection connection) {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (Exception ignored) {
            // closing a held test connection
        }
    }
}
