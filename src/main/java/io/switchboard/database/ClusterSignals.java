package io.switchboard.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Fan-out across nodes through PostgreSQL {@code LISTEN/NOTIFY}: what one node signals reaches every node
 * (for example, a message to push to a browser whose stream is open on another node). A signal sent inside
 * a transaction is delivered only if that transaction commits, and after it does.
 */
@Component
public class ClusterSignals implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterSignals.class);
    private static final String CHANNEL = "switchboard_signals";
    private static final char SEPARATOR = '|';

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final ApplicationEventPublisher events;
    private volatile boolean running;
    private Thread listener;

    ClusterSignals(JdbcClient jdbc, DataSource dataSource, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.events = events;
    }

    /** Signals every node; inside a transaction, only once it commits. */
    public void publish(String topic, String payload) {
        jdbc.sql("select pg_notify(?, ?)").params(CHANNEL, topic + SEPARATOR + payload).query(rs -> { });
    }

    @Override
    public void start() {
        running = true;
        listener = new Thread(this::listen, "cluster-signals");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public void stop() {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Holds one connection that LISTENs; on any failure it reconnects after a pause. */
    private void listen() {
        Duration pause = Duration.ofMillis(500);
        while (running) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                PGConnection postgres = connection.unwrap(PGConnection.class);
                pause = Duration.ofMillis(500);
                while (running) {
                    PGNotification[] received = postgres.getNotifications(5_000);
                    if (received == null) {
                        continue;
                    }
                    for (PGNotification notification : received) {
                        dispatch(notification.getParameter());
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                log.warn("Lost the cluster signal connection ({}); reconnecting in {} ms", e.getMessage(), pause.toMillis());
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : pause.multipliedBy(2);
            }
        }
    }

    private void dispatch(String parameter) {
        int cut = parameter.indexOf(SEPARATOR);
        if (cut < 0) {
            return;
        }
        try {
            events.publishEvent(new ClusterSignal(parameter.substring(0, cut), parameter.substring(cut + 1)));
        } catch (RuntimeException e) {
            log.warn("A cluster signal listener failed: {}", e.getMessage(), e);
        }
    }
}
