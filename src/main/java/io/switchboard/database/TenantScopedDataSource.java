package io.switchboard.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.WeakHashMap;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Hands out pooled connections whose PostgreSQL session carries the thread's {@link TenantScope}: a tenant
 * scope sets {@code switchboard.organization_id}, which every row-level security policy compares with
 * {@code organization_id}; the system scope switches the session to the system role (BYPASSRLS) instead, so
 * no policy needs an "or system" branch that would keep PostgreSQL from using indexes. The scope last applied
 * to each physical connection is remembered so an unchanged scope costs no round trip.
 */
final class TenantScopedDataSource extends DelegatingDataSource {

    private final Map<Object, TenantScope.Scope> applied = new WeakHashMap<>();

    private final String systemRole;

    TenantScopedDataSource(DataSource pool, String systemRole) {
        super(pool);
        this.systemRole = systemRole;
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
                "select set_config('switchboard.organization_id', ?, false), set_config('role', ?, false)")) {
            set.setString(1, scope.organizationId() == null ? "" : scope.organizationId().toString());
            // 'none' is RESET ROLE: back to the login role, which row-level security applies to
            set.setString(2, scope.system() ? systemRole : "none");
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
