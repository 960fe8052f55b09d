package io.switchboard.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The application's one DataSource: an external PostgreSQL when {@code SWITCHBOARD_DB_URL} (or
 * {@code spring.datasource.url}) is set, otherwise the embedded one. Either way it is wrapped so every
 * connection carries the tenant scope, and a system role exists for the little work that crosses tenants.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);
    /** The role cross-tenant work switches to; see {@link #ensureSystemRole()}. */
    static final String SYSTEM_ROLE = "switchboard_system";

    private EmbeddedPostgresServer embedded;
    private HikariDataSource pool;

    @Bean
    DataSource dataSource(DatabaseProperties properties, Environment environment) {
        String springUrl = environment.getProperty("spring.datasource.url", "");
        HikariConfig config = new HikariConfig();
        config.setPoolName("switchboard");
        config.setMaximumPoolSize(properties.poolSize());
        config.setConnectionTimeout(properties.connectionTimeout().toMillis());
        if (properties.external()) {
            config.setJdbcUrl(properties.url());
            config.setUsername(properties.user());
            config.setPassword(properties.password());
        } else if (!springUrl.isBlank()) {
            config.setJdbcUrl(springUrl);
            config.setUsername(environment.getProperty("spring.datasource.username"));
            config.setPassword(environment.getProperty("spring.datasource.password"));
        } else {
            embedded = EmbeddedPostgresServer.acquire(properties.dataDir(), properties.embeddedFsync(),
                    properties.embeddedCleanStart());
            config.setJdbcUrl(embedded.jdbcUrl());
            config.setUsername(EmbeddedPostgresServer.ROLE);
            config.setPassword(embedded.password());
        }
        pool = new HikariDataSource(config);
        ensureSystemRole();
        return new TenantScopedDataSource(pool, SYSTEM_ROLE);
    }

    /**
     * Cross-tenant work (webhook account lookup, login, schedulers) runs as {@value #SYSTEM_ROLE}: NOLOGIN,
     * BYPASSRLS, and granted to the application's login role, which switches to it only inside
     * {@link TenantScope#asSystem}. It must exist before the migrations grant it the tables. Creating a
     * BYPASSRLS role takes a superuser: the embedded server creates it when it starts; on an external database
     * an administrator creates it once (README, "External PostgreSQL") unless the login role may.
     */
    private void ensureSystemRole() {
        try (Connection c = pool.getConnection()) {
            if (systemRoleUsable(c)) {
                return;
            }
            String login = currentUser(c);
            String create = "do $$ begin if not exists (select from pg_roles where rolname = '" + SYSTEM_ROLE + "') then "
                    + "create role " + SYSTEM_ROLE + " nologin bypassrls; end if; end $$";
            String grant = "grant " + SYSTEM_ROLE + " to \"" + login.replace("\"", "\"\"") + "\"";
            try (Statement s = c.createStatement()) {
                s.execute(create);
                s.execute(grant);
            } catch (SQLException e) {
                if (systemRoleUsable(c)) {
                    return; // another node starting at the same moment created it
                }
                throw new IllegalStateException("The database has no usable role " + SYSTEM_ROLE + " for cross-tenant "
                        + "work, and the role " + login + " may not create it (" + e.getMessage() + "). As a superuser, run: "
                        + "CREATE ROLE " + SYSTEM_ROLE + " NOLOGIN BYPASSRLS; GRANT " + SYSTEM_ROLE + " TO " + login + ";", e);
            }
            if (!systemRoleUsable(c)) {
                throw new IllegalStateException("The role " + SYSTEM_ROLE + " must have BYPASSRLS and be granted to "
                        + login + ": ALTER ROLE " + SYSTEM_ROLE + " BYPASSRLS; GRANT " + SYSTEM_ROLE + " TO " + login + ";");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not check the database roles: " + e.getMessage(), e);
        }
    }

    private static boolean systemRoleUsable(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "select rolbypassrls and pg_has_role(current_user, oid, 'MEMBER') from pg_roles where rolname = ?")) {
            q.setString(1, SYSTEM_ROLE);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static String currentUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Tenant isolation rests on row-level security, which superusers and BYPASSRLS roles skip. */
    @Bean
    ApplicationRunner warnWhenRowLevelSecurityIsBypassed(JdbcClient jdbc) {
        return args -> {
            boolean bypasses = jdbc.sql("select rolsuper or rolbypassrls from pg_roles where rolname = current_user")
                    .query(Boolean.class).single();
            if (bypasses) {
                log.warn("The database role bypasses row-level security: tenant isolation is NOT enforced by the "
                        + "database. Connect with an ordinary (non-superuser) role that owns the schema.");
            }
        };
    }

    @Override
    public void destroy() {
        if (pool != null) {
            pool.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
