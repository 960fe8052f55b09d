package io.switchboard.identity;

import io.switchboard.database.TenantScope;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Organizations: created in system scope (before a tenant exists), read in their own scope. */
@Repository
public class Organizations {

    private final JdbcClient jdbc;

    Organizations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Organization create(String name, String slug, String locale) {
        return TenantScope.asSystem(() -> jdbc.sql("""
                        insert into organizations (name, slug, locale) values (?, ?, ?)
                        returning id, name, slug, locale""")
                .params(name, slug, locale)
                .query(Organization.class).single());
    }

    public Optional<Organization> find(UUID id) {
        return jdbc.sql("select id, name, slug, locale from organizations where id = ?")
                .param(id).query(Organization.class).optional();
    }

    public Optional<Organization> findBySlug(String slug) {
        return TenantScope.asSystem(() -> jdbc.sql("select id, name, slug, locale from organizations where slug = ?")
                .param(slug).query(Organization.class).optional());
    }

    /** All organizations, for jobs that sweep every tenant. */
    public List<Organization> all() {
        return TenantScope.asSystem(() -> jdbc.sql("select id, name, slug, locale from organizations order by created_at")
                .query(Organization.class).list());
    }
}
