package io.switchboard.identity;

import io.switchboard.database.RecordRows;
import io.switchboard.database.TenantScope;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Organizations: created in system scope (before a tenant exists), read in their own scope. */
@Repository
public class Organizations {

    /** Advisory lock key of first-start setup (arbitrary, only unique within this database). */
    private static final long FIRST_START_LOCK = 0x5357_4244_0001L;

    private final JdbcClient jdbc;

    Organizations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Organization create(String name, String slug, String locale) {
        return TenantScope.asSystem(() -> jdbc.sql("""
                        insert into organizations (name, slug, locale) values (?, ?, ?)
                        returning id, name, slug, locale""")
                .params(name, slug, locale)
                .query(RecordRows.of(Organization.class)).single());
    }

    public Optional<Organization> find(UUID id) {
        return jdbc.sql("select id, name, slug, locale from organizations where id = ?")
                .param(id).query(RecordRows.of(Organization.class)).optional();
    }

    public Optional<Organization> findBySlug(String slug) {
        return TenantScope.asSystem(() -> jdbc.sql("select id, name, slug, locale from organizations where slug = ?")
                .param(slug).query(RecordRows.of(Organization.class)).optional());
    }

    /**
     * Serializes first-start setup (the demo workspace, the bootstrap token's organization) between nodes
     * starting together on an empty database: held until the caller's transaction ends, so the next node
     * sees what the first one created instead of inserting it again.
     */
    public void lockFirstStartSetup() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("the first-start lock is transaction-scoped; call it inside a transaction");
        }
        jdbc.sql("select 1 from (select pg_advisory_xact_lock(?)) locked").param(FIRST_START_LOCK).query(Integer.class).single();
    }

    /** Every organization with its status and size, for the instance operator. */
    public List<OrganizationSummary> summaries() {
        return TenantScope.asSystem(() -> jdbc.sql("""
                        select o.id, o.name, o.slug, o.locale, o.status, o.created_at,
                               (select count(*) from users u where u.organization_id = o.id) as users
                        from organizations o order by o.created_at""")
                .query(RecordRows.of(OrganizationSummary.class)).list());
    }

    /** Suspends or reactivates an organization: a suspended one's people cannot sign in and its tokens stop. */
    public OrganizationSummary changeStatus(UUID id, OrganizationStatus status) {
        int changed = TenantScope.asSystem(() -> jdbc.sql("update organizations set status = ? where id = ?")
                .params(status.name(), id).update());
        if (changed == 0) {
            throw new io.switchboard.refusal.NotFound("organization " + id + " not found");
        }
        return summaries().stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow();
    }

    /** Whether the installation has no organization with people yet: the first visit then offers the setup page. */
    public boolean empty() {
        return TenantScope.asSystem(() -> jdbc.sql("select not exists (select 1 from users)").query(Boolean.class).single());
    }

    /** All organizations, for jobs that sweep every tenant. */
    public List<Organization> all() {
        return TenantScope.asSystem(() -> jdbc.sql("select id, name, slug, locale from organizations order by created_at")
                .query(RecordRows.of(Organization.class)).list());
    }
}
