package io.switchboard.integration;

import io.switchboard.outbound.OutboundGuard;
import io.switchboard.refusal.InvalidInput;
import java.math.BigDecimal;
import java.net.URI;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.stereotype.Service;

/**
 * Runs an administrator's named, parameterised SQL ({@code :name} parameters, values bound — never spliced)
 * on an external PostgreSQL or MySQL database: one statement, in a read-only transaction that is always rolled
 * back, with a statement timeout and a row limit. The model only supplies parameter values.
 */
@Service
public class ExternalDatabase {

    /** Rows as column → value, in column order; {@code truncated} when the row limit cut the result. */
    public record QueryResult(List<String> columns, List<Map<String, Object>> rows, boolean truncated, long durationMs) {
    }

    private final Integrations integrations;
    private final OutboundGuard guard;

    ExternalDatabase(Integrations integrations, OutboundGuard guard) {
        this.integrations = integrations;
        this.guard = guard;
    }

    public QueryResult query(UUID integrationId, String sql, Map<String, Object> parameters, Duration timeout, int maxRows) {
        Connection database = integrations.connection(integrationId, IntegrationKind.DATABASE);
        requireOneStatement(sql);
        ParsedSql parsed = NamedParameterUtils.parseSqlStatement(sql);
        MapSqlParameterSource source = new MapSqlParameterSource(parameters);
        String jdbcSql;
        Object[] values;
        try {
            jdbcSql = NamedParameterUtils.substituteNamedParameters(parsed, source);
            values = NamedParameterUtils.buildValueArray(parsed, source, null);
        } catch (InvalidDataAccessApiUsageException e) {
            throw new IntegrationCallFailed("the query needs a value for every parameter: " + e.getMessage());
        }
        long started = System.nanoTime();
        try (java.sql.Connection connection = open(database, timeout)) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try {
                readOnlyTransaction(connection, database, timeout);
                try (PreparedStatement statement = connection.prepareStatement(jdbcSql)) {
                    statement.setQueryTimeout((int) Math.max(1, Math.ceil(timeout.toMillis() / 1000.0)));
                    statement.setMaxRows(maxRows + 1);
                    for (int i = 0; i < values.length; i++) {
                        statement.setObject(i + 1, values[i]);
                    }
                    if (!statement.execute()) {
                        throw new IntegrationCallFailed("the query returned no rows: only SELECT statements can be used");
                    }
                    try (ResultSet rs = statement.getResultSet()) {
                        return read(rs, maxRows, started);
                    }
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            if ("57014".equals(e.getSQLState()) || e instanceof java.sql.SQLTimeoutException) {
                throw new IntegrationCallFailed("the query took longer than " + timeout.toMillis() + " ms and was cancelled");
            }
            throw new IntegrationCallFailed("the query failed: " + e.getMessage());
        }
    }

    /** Opens a read-only transaction and runs {@code select 1}. */
    ConnectionTest test(Connection database) {
        try {
            QueryResult result = query(database.id(), "select 1 as ok", Map.of(), Duration.ofSeconds(5), 1);
            return new ConnectionTest(true, "Connected: the database answered in " + result.durationMs() + " ms");
        } catch (IntegrationCallFailed e) {
            return new ConnectionTest(false, e.getMessage());
        }
    }

    /** A query an administrator saves must be one statement: a second one could leave the read-only transaction. */
    public static void requireOneStatement(String sql) {
        String trimmed = sql == null ? "" : sql.strip().replaceAll(";+\\s*$", "");
        if (trimmed.isEmpty()) {
            throw new InvalidInput("the query is empty");
        }
        if (trimmed.contains(";")) {
            throw new InvalidInput("the query must be a single statement (no ';' inside)");
        }
    }

    /** Only PostgreSQL and MySQL URLs, on a host the outbound guard allows. */
    static void requireAllowedUrl(String jdbcUrl, OutboundGuard guard) {
        String host = host(jdbcUrl);
        if (host == null) {
            throw new InvalidInput("settings.jdbc_url must look like jdbc:postgresql://host:5432/db or jdbc:mysql://host:3306/db");
        }
        guard.hostRefusal(host).ifPresent(reason -> {
            throw new InvalidInput("settings.jdbc_url: " + reason);
        });
    }

    private static String host(String jdbcUrl) {
        String url = jdbcUrl == null ? "" : jdbcUrl.strip();
        if (!url.startsWith("jdbc:postgresql://") && !url.startsWith("jdbc:mysql://")) {
            return null;
        }
        try {
            return URI.create(url.substring("jdbc:".length())).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private java.sql.Connection open(Connection database, Duration timeout) throws SQLException {
        String url = database.setting("jdbc_url");
        String host = host(url);
        if (host == null) {
            throw new IntegrationCallFailed("the JDBC URL of '" + database.name() + "' is not a PostgreSQL or MySQL URL");
        }
        guard.hostRefusal(host).ifPresent(reason -> {
            throw new IntegrationCallFailed(reason);
        });
        Properties properties = new Properties();
        properties.setProperty("user", database.setting("username"));
        properties.setProperty("password", database.secrets().getOrDefault("password", ""));
        long socketSeconds = Math.max(5, timeout.toSeconds() + 5);
        if (isPostgres(database)) {
            properties.setProperty("connectTimeout", "5");
            properties.setProperty("socketTimeout", String.valueOf(socketSeconds));
            properties.setProperty("ApplicationName", "switchboard-tool");
        } else {
            properties.setProperty("connectTimeout", "5000");
            properties.setProperty("socketTimeout", String.valueOf(socketSeconds * 1000));
        }
        return DriverManager.getConnection(url, properties);
    }

    private static void readOnlyTransaction(java.sql.Connection connection, Connection database, Duration timeout) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("set transaction read only");
            if (isPostgres(database)) {
                statement.execute("set local statement_timeout = " + Math.max(1, timeout.toMillis()));
            } else {
                statement.execute("set session max_execution_time = " + Math.max(1, timeout.toMillis()));
            }
        }
    }

    private static boolean isPostgres(Connection database) {
        return database.setting("jdbc_url").toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:");
    }

    private static QueryResult read(ResultSet rs, int maxRows, long started) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnLabel(i));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean truncated = false;
        while (rs.next()) {
            if (rows.size() == maxRows) {
                truncated = true;
                break;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= columns.size(); i++) {
                row.put(columns.get(i - 1), plain(rs.getObject(i)));
            }
            rows.add(row);
        }
        return new QueryResult(columns, rows, truncated, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** Numbers, booleans and text as they are; anything else (dates, UUIDs…) as its text. */
    private static Object plain(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Short || value instanceof Double || value instanceof Float) {
            return value;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value.toString();
    }
}
