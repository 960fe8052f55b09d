package io.switchboard.identity;

import io.switchboard.database.ClusterSignal;
import io.switchboard.database.ClusterSignals;
import io.switchboard.database.TenantScope;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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

    private record Key(UUID organizationId, String kind, String key) {
    }

    private record Kept(Optional<String> value, long readAtNanos) {
    }

    // bounds how long a node can miss a change whose signal was lost (a node dying right after its commit)
    private static final long KEPT_NANOS = 60_000_000_000L;

    private final JdbcClient jdbc;
    private final SecretBox secrets;
    private final ClusterSignals signals;
    private final Map<Key, Kept> kept = new ConcurrentHashMap<>();
    // bumped by every change: a read that raced a change does not keep what it read
    private final Map<UUID, AtomicLong> generations = new ConcurrentHashMap<>();

    Settings(JdbcClient jdbc, SecretBox secrets, ClusterSignals signals) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.signals = signals;
    }

    /** The JSON text of a plain setting of the current organization. */
    public Optional<String> json(String key) {
        UUID organizationId = TenantScope.requireOrganization();
        return kept(new Key(organizationId, "json", key), () ->
                jdbc.sql("select value::text from settings where organization_id = ? and key = ? and value is not null")
                        .params(organizationId, key).query(String.class).optional());
    }

    public void putJson(String key, String json) {
        jdbc.sql("""
                insert into settings (organization_id, key, value) values (?, ?, ?::jsonb)
                on conflict (organization_id, key) do update set value = excluded.value, updated_at = now()""")
                .params(TenantScope.requireOrganization(), key, json).update();
        changed(TenantScope.requireOrganization());
    }

    public Optional<String> secret(String key) {
        UUID organizationId = TenantScope.requireOrganization();
        return kept(new Key(organizationId, "secret", key), () ->
                jdbc.sql("select secret from settings where organization_id = ? and key = ? and secret is not null")
                        .params(organizationId, key).query(String.class).optional().map(secrets::decrypt));
    }

    public void putSecret(String key, String value) {
        jdbc.sql("""
                insert into settings (organization_id, key, secret) values (?, ?, ?)
                on conflict (organization_id, key) do update set secret = excluded.secret, updated_at = now()""")
                .params(TenantScope.requireOrganization(), key, secrets.encrypt(value)).update();
        changed(TenantScope.requireOrganization());
    }

    public void remove(String key) {
        jdbc.sql("delete from settings where organization_id = ? and key = ?")
                .params(TenantScope.requireOrganization(), key).update();
        changed(TenantScope.requireOrganization());
    }

    private Optional<String> kept(Key key, Supplier<Optional<String>> read) {
        Kept known = kept.get(key);
        if (known != null && System.nanoTime() - known.readAtNanos() < KEPT_NANOS) {
            return known.value();
        }
        long generation = generation(key.organizationId()).get();
        Optional<String> value = read.get();
        // a transaction that writes may roll back: only what is committed is kept
        boolean writing = TransactionSynchronizationManager.isActualTransactionActive()
                && !TransactionSynchronizationManager.isCurrentTransactionReadOnly();
        if (!writing && generation(key.organizationId()).get() == generation) {
            kept.put(key, new Kept(value, System.nanoTime()));
        }
        return value;
    }

    private AtomicLong generation(UUID organizationId) {
        return generations.computeIfAbsent(organizationId, id -> new AtomicLong());
    }

    private void changed(UUID organizationId) {
        forget(organizationId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    forget(organizationId);
                }
            });
        }
        signals.publish(CHANGED, organizationId.toString());
    }

    @EventListener
    void on(ClusterSignal signal) {
        if (CHANGED.equals(signal.topic())) {
            forget(UUID.fromString(signal.payload()));
        }
    }

    private void forget(UUID organizationId) {
        generation(organizationId).incrementAndGet();
        kept.keySet().removeIf(k -> k.organizationId().equals(organizationId));
    }
}
