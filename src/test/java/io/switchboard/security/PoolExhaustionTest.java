package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Security review, finding L: "200 parallel list calls exhausted the pool and 2 got 500 after 30 s instead of 503".
 * With every connection taken, an API call is answered 503 with {@code Retry-After} and a problem document naming no
 * database internals, once the pool stops waiting ({@code switchboard.db.connection-timeout}, 0.5 s here).
 */
@IntegrationTest
@TestPropertySource(properties = {"switchboard.db.pool-size=4", "switchboard.db.connection-timeout=500ms"})
class PoolExhaustionTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Test
    void aCallThatFindsEveryConnectionBusyGets503WithRetryAfter() throws SQLException {
        Tenants.Tenant tenant = tenants.create("Busy Pool");
        assertThat(api.get("/api/v1/conversations", tenant.adminToken()).status()).isEqualTo(200);
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        List<Connection> taken = new ArrayList<>();
        ApiClient.Response busy;
        try {
            while (true) {
                try {
                    taken.add(pool.getConnection());
                } catch (SQLException none) {
                    break; // every connection is out
                }
            }
            busy = api.get("/api/v1/conversations", tenant.adminToken());
        } finally {
            taken.forEach(c -> {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // returned anyway
                }
            });
        }
        assertThat(busy.status()).as(busy.body()).isEqualTo(503);
        assertThat(busy.header("Retry-After")).isEqualTo("5");
        assertThat(busy.header("Content-Type")).startsWith("application/problem+json");
        assertThat(busy.body()).contains("retry in a few seconds").doesNotContainIgnoringCase("hikari")
                .doesNotContainIgnoringCase("sql").doesNotContainIgnoringCase("jdbc");
        assertThat(api.get("/api/v1/conversations", tenant.adminToken()).status()).as("served again once connections are back")
                .isEqualTo(200);
    }
}
