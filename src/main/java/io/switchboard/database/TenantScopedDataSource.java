package io.switchboard.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.WeakHashMap;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Hands out pooled connections whose PostgreSQL session carries the thread's {@link TenantScope}, which
 * the row-level security policies read. The scope last applied to each physical connection is
 * remembered so an unchanged scope costs no round trip.
 */
final class TenantScopedDataSource extends DelegatingDataSource {

    private final Map<Object, TenantScope.Scope> applied = new WeakHashMap<>();

    TenantScopedDataSource(DataSource pool) {
        super(pool);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return scoped(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return scoped(super.getConnection(username, password));
    }

    private Connection scoped(Connection connection) throws SQLException {
        TenantScope.Scope scope = TenantScope.current();
        Object physical = connection.unwrap(org.postgresql.PGConnection.class);
        synchronized (applied) {
            if (scope.equals(applied.get(physical))) {
                return connection;
            }
        }
        try (PreparedStatement set = connection.prepareStatement(
                "select set_config('switchboard.organization_id', ?, false), set_config('switchboard.system', ?, false)")) {
            set.setString(1, scope.organizationId() == null ? "" : scope.organizationId().toString());
            set.setString(2, scope.system() ? "on" : "off");
            set.execute();
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        synchronized (applied) {
            applied.put(physical, scope);
        }
        return connection;
    }
}
