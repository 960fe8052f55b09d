package io.switchboard.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Fan-out across nodes through PostgreSQL {@code LISTEN/NOTIFY}: what one node signals reaches every node
 * (for example, a message to push to a browser whose stream is open on another node). A signal sent inside
 * a transaction is delivered only if that transaction commits, and after it does.
 *
 * <p>Signals are not NOTIFYed inside the transaction that causes them: PostgreSQL serializes the commits of
 * every transaction that notifies (one database-wide lock held through the WAL flush), so four signals per AI
 * turn capped a node at a few dozen turns a second. They wait in a node-local outbox until the commit and one
 * sender thread NOTIFYs whatever has gathered in one short transaction. The price: a node that dies in the
 * milliseconds between a commit and the send loses those live updates (the data is committed; a browser
 * sees it on its next refresh).
 */
@Component
public class ClusterSignals implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterSignals.class);
    private static final String CHANNEL = "switchboard_signals";
    private static final char SEPARATOR = '|';

    // at most this many signals in one NOTIFY transaction, so one sender round trip stays short
    private static final int BATCH = 500;
    private static final int OUTBOX_CAPACITY = 100_000;

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final ApplicationEventPublisher events;
    private final BlockingQueue<String> outbox = new LinkedBlockingQueue<>(OUTBOX_CAPACITY);
    private volatile boolean running;
    private Thread listener;
    private Thread sender;

    ClusterSignals(JdbcClient jdbc, DataSource dataSource, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.events = events;
    }

    /** Signals every node; inside a transaction, only once it commits (nothing when it rolls back). */
    public void publish(String topic, String payload) {
        String parameter = topic + SEPARATOR + payload;
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    enqueue(parameter);
                }
            });
        } else {
            enqueue(parameter);
        }
    }

    private void enqueue(String parameter) {
        if (!running) {
            // stopped (shutting down, or a paused test context whose jobs still run): no sender drains the outbox
            sendNow(List.of(parameter));
            return;
        }
        if (!outbox.offer(parameter)) {
            log.warn("The cluster signal outbox is full ({} waiting); a live update was dropped", OUTBOX_CAPACITY);
        } else if (!running) {
            // stopped meanwhile: the sender may have ended before taking it
            List<String> left = new ArrayList<>();
            outbox.drainTo(left);
            if (!left.isEmpty()) {
                sendNow(left);
            }
        }
    }

    private void sendNow(List<String> parameters) {
        try {
            notifyAll(parameters);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
        listener = new Thread(this::listen, "cluster-signals");
        listener.setDaemon(true);
        listener.start();
        sender = new Thread(this::send, "cluster-signals-sender");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void stop() {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
        if (sender != null) {
            try {
                sender.join(2_000); // the sender empties the outbox before it ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** NOTIFYs what the outbox holds, a batch per short transaction, in the order it was signalled. */
    private void send() {
        List<String> batch = new ArrayList<>(BATCH);
        while (running || !outbox.isEmpty()) {
            try {
                String first = outbox.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outbox.drainTo(batch, BATCH - 1);
                notifyAll(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void notifyAll(List<String> batch) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                jdbc.sql("select count(pg_notify(?, p)) from unnest(?::text[]) as s(p)")
                        .params(CHANNEL, batch.toArray(String[]::new)).query(rs -> { });
                return;
            } catch (RuntimeException e) {
                if (attempt == 3 || !running) {
                    log.warn("Could not send {} cluster signals ({}); those live updates are lost", batch.size(), e.getMessage());
                    return;
                }
                Thread.sleep(250L * attempt);
            }
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
