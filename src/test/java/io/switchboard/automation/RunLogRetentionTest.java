package io.switchboard.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The run log keeps a month: older runs go (every tenant's), the month's stay. */
@IntegrationTest
class RunLogRetentionTest {

    @Autowired
    Tenants tenants;

    @Autowired
    RunLog runs;

    @Autowired
    JdbcClient jdbc;

    @Test
    void runsOlderThanTheRetentionAreDeletedAndNewerOnesKept() {
        Tenants.Tenant first = tenants.create("Retention One");
        Tenants.Tenant second = tenants.create("Retention Two");
        UUID old = first.scoped(() -> runs.claim(null, null, "old-" + UUID.randomUUID(), "message_received", null, 0)).orElseThrow();
        UUID otherTenantsOld = second.scoped(() -> runs.claim(null, null, "old-" + UUID.randomUUID(), "message_received", null, 0))
                .orElseThrow();
        String recentKey = "recent-" + UUID.randomUUID();
        UUID recent = first.scoped(() -> runs.claim(null, null, recentKey, "message_received", null, 0)).orElseThrow();
        io.switchboard.database.TenantScope.asSystem(() -> jdbc.sql(
                "update automation_runs set created_at = now() - interval '31 days' where id = any(?)")
                .param(new UUID[] {old, otherTenantsOld}).update());

        int deleted = RunLogRetention.deleteOlderThan(jdbc, 30);

        assertThat(deleted).isGreaterThanOrEqualTo(2);
        List<UUID> left = io.switchboard.database.TenantScope.asSystem(() -> jdbc.sql(
                "select id from automation_runs where id = any(?)").param(new UUID[] {old, otherTenantsOld, recent})
                .query(UUID.class).list());
        assertThat(left).containsExactly(recent);
    }
}
