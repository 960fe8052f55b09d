package io.switchboard.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
 * connection carries the tenant scope.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    private EmbeddedPostgresServer embedded;
    private HikariDataSource pool;

    @Bean
    DataSource dataSource(DatabaseProperties properties, Environment environment) {
        String springUrl = environment.getProperty("spring.datasource.url", "");
        HikariConfig config = new HikariConfig();
        config.setPoolName("switchboard");
        config.setMaximumPoolSize(properties.poolSize());
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
            config.setPassword(EmbeddedPostgresServer.ROLE);
        }
        pool = new HikariDataSource(config);
        return new TenantScopedDataSource(pool);
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
