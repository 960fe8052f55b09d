package io.switchboard.identity;

import io.switchboard.database.ClusterSignal;
import io.switchboard.database.ClusterSignals;
import io.switchboard.database.OrganizationCache;
import io.switchboard.database.TenantScope;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Per-organization settings. Plain values are JSON; secret values (API keys, tokens) are encrypted and
 * never leave through the API.
 *
 * <p>Every AI turn reads the organization's LLM settings, so values are kept on each node until a change (a
 * minute at most): the changing node forgets them at once and after its commit, and signals every other node to
 * forget them too.
 */
@Service
public class Settings {

    private static final String CHANGED = "settings_changed";

    private record Key(String kind, String key) {
    }

    private final JdbcClient jdbc;
    private final SecretBox secrets;
    private final OrganizationCache<Key, Optional<String>> kept;

    Settings(JdbcClient jdbc, SecretBox secrets, ClusterSignals signals) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.kept = new OrganizationCache<>(signals, CHANGED);
    }

    /** The JSON text of a plain setting of the current organization. */
    public Optional<String> json(String key) {
        UUID organizationId = TenantScope.requireOrganization();
        return kept.get(organizationId, new Key("json", key), () ->
                jdbc.sql("select value::text from settings where organization_id = ? and key = ? and value is not null")
                        .params(organizationId, key).query(String.class).optional());
    }

    public void putJson(String key, String json) {
        jdbc.sql("""
                insert into settings (organization_id, key, value) values (?, ?, ?::jsonb)
                on conflict (organization_id, key) do update set value = excluded.value, updated_at = now()""")
                .params(TenantScope.requireOrganization(), key, json).update();
        kept.changed(TenantScope.requireOrganization());
    }

    public Optional<String> secret(String key) {
        UUID organizationId = TenantScope.requireOrganization();
        return kept.get(organizationId, new Key("secret", key), () ->
                jdbc.sql("select secret from settings where organization_id = ? and key = ? and secret is not null")
                        .params(organizationId, key).query(String.class).optional().map(secrets::decrypt));
    }

    public void putSecret(String key, String value) {
        jdbc.sql("""
                insert into settings (organization_id, key, secret) values (?, ?, ?)
                on conflict (organization_id, key) do update set secret = excluded.secret, updated_at = now()""")
                .params(TenantScope.requireOrganization(), key, secrets.encrypt(value)).update();
        kept.changed(TenantScope.requireOrganization());
    }

    public void remove(String key) {
        jdbc.sql("delete from settings where organization_id = ? and key = ?")
                .params(TenantScope.requireOrganization(), key).update();
        kept.changed(TenantScope.requireOrganization());
    }

    @EventListener
    void on(ClusterSignal signal) {
        kept.on(signal);
    }
}
