package io.switchboard.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class MigrationsTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Tenants tenants;

    @Autowired
    javax.sql.DataSource dataSource;

    @Test
    void everyMigrationAppliesOnTheEmptyTestDatabase() {
        List<Boolean> outcomes = TenantScope.asSystem(() -> jdbc.sql("select success from flyway_schema_history where version is not null")
                .query(Boolean.class).list());
        assertThat(outcomes).isNotEmpty().doesNotContain(false);
        List<String> tables = jdbc.sql("select tablename from pg_tables where schemaname = 'public'").query(String.class).list();
        assertThat(tables).contains("organizations", "users", "api_tokens", "settings", "contacts", "contact_identities",
                "channel_accounts", "conversations", "messages", "ai_agents", "ai_tools", "ai_agent_tools",
                "ai_conversations", "departments", "funnels", "funnel_stages", "tags", "activities", "scheduled_tasks");
    }

    @Test
    void everyTenantOwnedTableIsGuardedByForcedRowLevelSecurity() {
        List<String> unguarded = jdbc.sql("""
                        select c.relname from pg_class c
                        join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
                        where c.relkind = 'r'
                          and exists (select 1 from information_schema.columns col
                                      where col.table_name = c.relname and col.column_name = 'organization_id')
                          and not (c.relrowsecurity and c.relforcerowsecurity)""")
                .query(String.class).list();
        assertThat(unguarded).isEmpty();
    }

    @Test
    void theApplicationRoleCannotBypassRowLevelSecurity() {
        assertThat(jdbc.sql("select rolsuper or rolbypassrls from pg_roles where rolname = current_user")
                .query(Boolean.class).single()).isFalse();
    }

    @Test
    void aConnectionWithoutTenantScopeSeesNoRowsAndCannotWriteAny() {
        var tenant = tenants.create("Scopeless");
        assertThat(jdbc.sql("select count(*) from users where organization_id = ?").param(tenant.id())
                .query(Integer.class).single()).isZero();
        assertThatThrownBy(() -> jdbc.sql("insert into tags (organization_id, name) values (?, 'x')").param(tenant.id()).update())
                .rootCause().hasMessageContaining("row-level security");
    }

    @Test
    void aTenantCannotWriteRowsIntoAnotherTenant() {
        var a = tenants.create("Writer A");
        var b = tenants.create("Writer B");
        assertThatThrownBy(() -> a.scoped(() -> jdbc.sql("insert into tags (organization_id, name) values (?, 'stolen')")
                .param(b.id()).update())).rootCause().hasMessageContaining("row-level security");
        assertThat(b.scoped(() -> jdbc.sql("select count(*) from tags").query(Integer.class).single())).isZero();
    }

    @Test
    void theTenantPolicyIsAnIndexConditionOnTheOrganization() throws Exception {
        var tenant = tenants.create("Planner");
        String plan = TenantScope.call(tenant.id(), () -> {
            try (var c = dataSource.getConnection(); var s = c.createStatement()) {
                // the test tables are tiny: make the planner show whether it could use an index at all
                s.execute("set enable_seqscan = off");
                try (var rs = s.executeQuery("explain select id from conversations")) {
                    StringBuilder text = new StringBuilder();
                    while (rs.next()) {
                        text.append(rs.getString(1)).append('\n');
                    }
                    return text.toString();
                } finally {
                    s.execute("reset enable_seqscan");
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(plan).contains("Index Cond: (organization_id = ").doesNotContain("Filter:");
    }

    @Test
    void systemWorkRunsAsTheSystemRoleAndTenantWorkAsTheOrdinaryRole() {
        var a = tenants.create("Role A");
        var b = tenants.create("Role B");
        assertThat(TenantScope.asSystem(() -> jdbc.sql("select current_user").query(String.class).single()))
                .isEqualTo("switchboard_system");
        assertThat(TenantScope.asSystem(() -> jdbc.sql("select count(*) from organizations where id in (?, ?)")
                .params(a.id(), b.id()).query(Integer.class).single())).isEqualTo(2);
        assertThat(a.scoped(() -> jdbc.sql("select current_user").query(String.class).single()))
                .isNotEqualTo("switchboard_system");
        assertThat(a.scoped(() -> jdbc.sql("select count(*) from organizations where id in (?, ?)")
                .params(a.id(), b.id()).query(Integer.class).single())).isEqualTo(1);
    }
}
