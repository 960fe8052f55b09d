package io.switchboard.identity;

import io.switchboard.database.TenantScope;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Per-organization settings. Plain values are JSON; secret values (API keys, tokens) are encrypted and
 * never leave through the API.
 */
@Service
public class Settings {

    private final JdbcClient jdbc;
    private final SecretBox secrets;

    Settings(JdbcClient jdbc, SecretBox secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    /** The JSON text of a plain setting of the current organization. */
    public Optional<String> json(String key) {
        return jdbc.sql("select value::text from settings where organization_id = ? and key = ? and value is not null")
                .params(TenantScope.requireOrganization(), key).query(String.class).optional();
    }

    public void putJson(String key, String json) {
        jdbc.sql("""
                insert into settings (organization_id, key, value) values (?, ?, ?::jsonb)
                on conflict (organization_id, key) do update set value = excluded.value, updated_at = now()""")
                .params(TenantScope.requireOrganization(), key, json).update();
    }

    public Optional<String> secret(String key) {
        return jdbc.sql("select secret from settings where organization_id = ? and key = ? and secret is not null")
                .params(TenantScope.requireOrganization(), key).query(String.class).optional().map(secrets::decrypt);
    }

    public void putSecret(String key, String value) {
        jdbc.sql("""
                insert into settings (organization_id, key, secret) values (?, ?, ?)
                on conflict (organization_id, key) do update set secret = excluded.secret, updated_at = now()""")
                .params(TenantScope.requireOrganization(), key, secrets.encrypt(value)).update();
    }

    public void remove(String key) {
        jdbc.sql("delete from settings where organization_id = ? and key = ?")
                .params(TenantScope.requireOrganization(), key).update();
    }
}
