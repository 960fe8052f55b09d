package io.switchboard.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The app's embedded PostgreSQL, reached with the app's own role (so row-level security applies to the bench
 * as it does to the app): the raw insert baseline, commit counters, and history written straight into a
 * conversation.
 */
final class AppDatabase {

    private final String url;
    private final String password;

    /** The app's embedded PostgreSQL: its roles share the password the app generated in its data directory. */
    AppDatabase(int port, String password) {
        this.url = "jdbc:postgresql://localhost:" + port + "/switchboard";
        this.password = password;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "switchboard", password);
    }

    Connection connectAsSuperuser() throws SQLException {
        return DriverManager.getConnection(url, "postgres", password);
    }

    /** Writes every changed page out now, so a phase that follows does not share the disk with the checkpointer. */
    void checkpoint() throws SQLException {
        try (Connection c = connectAsSuperuser(); Statement s = c.createStatement()) {
            s.execute("checkpoint");
        }
    }

    /**
     * Transactions committed in the app's database (read-only autocommit statements count too) and WAL flushes
     * to disk (group commit lets one fsync cover several commits). PostgreSQL publishes these about once a second.
     */
    record Counters(long commits, long walSyncs) {
    }

    Counters counters() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select (select xact_commit from pg_stat_database where datname = current_database()), "
                     + "(select wal_sync from pg_stat_wal)")) {
            rs.next();
            return new Counters(rs.getLong(1), rs.getLong(2));
        }
    }

    /**
     * Single-row insert + commit per second over {@code connections} connections, each in its own thread with
     * autocommit: the ceiling for any design that commits once per unit of work on this disk with fsync on.
     * The row is message-sized and keyed by a random uuid like the app's rows.
     */
    double insertCommitsPerSecond(int connections, Duration duration) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create table if not exists bench_baseline (id uuid primary key default gen_random_uuid(), "
                    + "conversation_id uuid not null, content text not null, created_at timestamptz not null default now())");
        }
        AtomicLong inserted = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> writers = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread writer = new Thread(() -> {
                try (Connection c = connect(); PreparedStatement insert = c.prepareStatement(
                        "insert into bench_baseline (conversation_id, content) values (?, ?)")) {
                    c.setAutoCommit(true);
                    while (System.nanoTime() < end) {
                        insert.setObject(1, UUID.randomUUID());
                        insert.setString(2, "Hi, when will my order arrive? I ordered it last week.");
                        insert.executeUpdate();
                        inserted.incrementAndGet();
                    }
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "baseline-" + i);
            writers.add(writer);
            writer.start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return inserted.get() / (duration.toNanos() / 1e9);
    }

    /** The conversation and channel account a webhook's message landed in. */
    record ConversationRef(UUID conversationId, UUID channelAccountId) {
    }

    ConversationRef conversationOf(UUID organizationId, String messageSid) throws SQLException {
        try (Connection c = connect()) {
            scopeTo(c, organizationId);
            try (PreparedStatement q = c.prepareStatement(
                    "select conversation_id, channel_account_id from messages where provider_message_id = ?")) {
                q.setString(1, messageSid);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no message " + messageSid);
                    }
                    return new ConversationRef(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
                }
            }
        }
    }

    /**
     * Writes {@code count} alternating customer/AI messages into the conversation's past (a month ago, one a
     * second), so the newest message is still the AI's last answer and the next customer message starts a turn.
     */
    void addHistory(UUID organizationId, ConversationRef conversation, int count) throws SQLException {
        try (Connection c = connect()) {
            scopeTo(c, organizationId);
            try (PreparedStatement insert = c.prepareStatement("""
                    insert into messages (organization_id, conversation_id, channel_account_id, direction, sender_type,
                                          content, status, created_at, updated_at)
                    select ?, ?, ?,
                           case when i % 2 = 0 then 'inbound' else 'outbound' end,
                           case when i % 2 = 0 then 'contact' else 'ai_agent' end,
                           case when i % 2 = 0 then 'Earlier question number ' || i else 'Earlier answer number ' || i end,
                           case when i % 2 = 0 then 'received' else 'delivered' end,
                           now() - interval '30 days' + i * interval '1 second',
                           now() - interval '30 days' + i * interval '1 second'
                    from generate_series(0, ? - 1) as i""")) {
                insert.setObject(1, organizationId);
                insert.setObject(2, conversation.conversationId());
                insert.setObject(3, conversation.channelAccountId());
                insert.setInt(4, count);
                insert.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute("analyze messages"); // as autovacuum would soon do on a real server
            }
        }
    }

    long messageCount(UUID organizationId, UUID conversationId) throws SQLException {
        try (Connection c = connect()) {
            scopeTo(c, organizationId);
            try (PreparedStatement q = c.prepareStatement("select count(*) from messages where conversation_id = ?")) {
                q.setObject(1, conversationId);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
    }

    /** The conversation's state, newest messages and events: what a bench failure report needs. */
    String describe(UUID organizationId, UUID conversationId) {
        StringBuilder out = new StringBuilder();
        try (Connection c = connect()) {
            scopeTo(c, organizationId);
            append(c, out, "select status, ai_disabled, ai_disabled_reason, requires_human_attention, agent_id "
                    + "from conversations where id = ?::uuid", conversationId);
            append(c, out, "select created_at, direction, sender_type, status, left(content, 60) from messages "
                    + "where conversation_id = ?::uuid order by created_at desc, id desc limit 4", conversationId);
            append(c, out, "select created_at, type, left(data::text, 160) from conversation_events "
                    + "where conversation_id = ?::uuid order by created_at desc limit 4", conversationId);
            append(c, out, "select task_name, task_instance, execution_time, picked, consecutive_failures from scheduled_tasks "
                    + "where task_instance like '%' || ? || '%'", conversationId);
        } catch (SQLException e) {
            out.append("(could not describe: ").append(e.getMessage()).append(')');
        }
        return out.toString();
    }

    private static void append(Connection c, StringBuilder out, String sql, UUID conversationId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, conversationId.toString());
            try (ResultSet rs = q.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    out.append("  ");
                    for (int i = 1; i <= columns; i++) {
                        out.append(rs.getMetaData().getColumnLabel(i)).append('=').append(rs.getString(i)).append(' ');
                    }
                    out.append('\n');
                }
            }
        }
    }

    /** The app role is subject to row-level security: name the organization as the app does. */
    private static void scopeTo(Connection c, UUID organizationId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select set_config('switchboard.organization_id', ?, false)")) {
            s.setString(1, organizationId.toString());
            s.executeQuery().close();
        }
    }
}
