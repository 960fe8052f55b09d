package io.switchboard.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The connections db-scheduler works with. Scheduling a job inside one of our transactions joins that
 * transaction (the job exists exactly when the change that needs it does). Everything the scheduler does on
 * its own — polling, heartbeats, marking executions done, finding dead ones — uses a small pool of its own:
 * when a burst of turns queues for the application's connections, heartbeats still land on time, so no
 * running turn or delivery is taken for dead and run a second time.
 */
final class SchedulerConnections extends DelegatingDataSource implements AutoCloseable {

    private final DataSource application;
    private final DataSource applicationTransactions;

    private SchedulerConnections(DataSource application, HikariDataSource own) {
        super(own);
        this.application = application;
        this.applicationTransactions = new TransactionAwareDataSourceProxy(application);
    }

    /**
     * @param application the application's DataSource (what transactions bind)
     * @param size        connections of the scheduler's own pool
     */
    static SchedulerConnections over(DataSource application, int size) throws SQLException {
        HikariDataSource applicationPool = application.unwrap(HikariDataSource.class);
        HikariConfig config = new HikariConfig();
        applicationPool.copyStateTo(config);
        config.setPoolName("switchboard-scheduler");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        return new SchedulerConnections(application, new HikariDataSource(config));
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (TransactionSynchronizationManager.hasResource(application)) {
            return applicationTransactions.getConnection();
        }
        return super.getConnection();
    }

    @Override
    public void close() {
        ((HikariDataSource) getTargetDataSource()).close();
    }
}
