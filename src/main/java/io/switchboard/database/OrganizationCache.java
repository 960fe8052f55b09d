package io.switchboard.database;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Configuration read on every message's path (LLM settings, which automations listen), kept on each node
 * per organization until it changes. The owner of the data calls {@link #changed} in the transaction that
 * writes it: this node forgets at once and again after the commit, and every other node forgets when the
 * cluster signal arrives (the owner forwards its {@link ClusterSignal}s to {@link #on}); the writing
 * transaction itself reads past the cache until it ends. A value is kept at
 * most a minute, which bounds a change missed because its signal was lost (a node dying right after its commit).
 *
 * @param <K> what identifies a value within one organization
 * @param <V> the value
 */
public final class OrganizationCache<K, V> {

    private static final long KEPT_NANOS = 60_000_000_000L;

    private record Key<K>(UUID organizationId, K key) {
    }

    private record Kept<V>(V value, long readAtNanos) {
    }

    private record KeptAcross<V>(UUID organizationId, V value, long readAtNanos) {
    }

    private final ClusterSignals signals;
    private final String topic;
    private final Map<Key<K>, Kept<V>> kept = new ConcurrentHashMap<>();
    private final Map<K, KeptAcross<V>> keptAcross = new ConcurrentHashMap<>();
    // bumped by every change of any organization: guards reads made before their organization is known
    private final AtomicLong anyChange = new AtomicLong();
    // bumped by every change: a read that raced a change does not keep what it read
    private final Map<UUID, AtomicLong> generations = new ConcurrentHashMap<>();

    /** @param topic the cluster signal that tells other nodes to forget, unique per cache */
    public OrganizationCache(ClusterSignals signals, String topic) {
        this.signals = signals;
        this.topic = Objects.requireNonNull(topic);
    }

    /** The kept value, or what {@code read} answers (then kept, unless this transaction changed the organization's data). */
    public V get(UUID organizationId, K key, Supplier<V> read) {
        if (changedInThisTransaction(organizationId)) {
            return read.get(); // its own uncommitted change, which may still roll back
        }
        Key<K> where = new Key<>(organizationId, key);
        Kept<V> known = kept.get(where);
        if (known != null && System.nanoTime() - known.readAtNanos() < KEPT_NANOS) {
            return known.value();
        }
        long generation = generation(organizationId).get();
        V value = read.get();
        if (generation(organizationId).get() == generation) {
            kept.put(where, new Kept<>(value, System.nanoTime()));
        }
        return value;
    }

    /**
     * For values looked up before their organization is known (a webhook names only its channel account): the
     * value found under {@code key} whatever its organization, else what {@code read} answers, kept under the
     * organization {@code organizationOf} names. Nothing found is not kept.
     */
    public Optional<V> getAcrossOrganizations(K key, Supplier<Optional<V>> read, Function<V, UUID> organizationOf) {
        KeptAcross<V> known = keptAcross.get(key);
        if (known != null && System.nanoTime() - known.readAtNanos() < KEPT_NANOS
                && !changedInThisTransaction(known.organizationId())) {
            return Optional.of(known.value());
        }
        long change = anyChange.get();
        Optional<V> value = read.get();
        if (value.isPresent()) {
            UUID organizationId = organizationOf.apply(value.get());
            if (anyChange.get() == change && !changedInThisTransaction(organizationId)) {
                keptAcross.put(key, new KeptAcross<>(organizationId, value.get(), System.nanoTime()));
            }
        }
        return value;
    }

    /** The organization's data changed (call it in the writing transaction): every node forgets what it kept. */
    public void changed(UUID organizationId) {
        forget(organizationId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            if (!changedInThisTransaction(organizationId)) {
                @SuppressWarnings("unchecked")
                Set<UUID> changed = (Set<UUID>) TransactionSynchronizationManager.getResource(this);
                if (changed == null) {
                    changed = new HashSet<>();
                    TransactionSynchronizationManager.bindResource(this, changed);
                    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                        @Override
                        public void afterCompletion(int status) {
                            TransactionSynchronizationManager.unbindResourceIfPossible(OrganizationCache.this);
                        }
                    });
                }
                changed.add(organizationId);
            }
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    forget(organizationId);
                }
            });
        }
        signals.publish(topic, organizationId.toString());
    }

    private boolean changedInThisTransaction(UUID organizationId) {
        Object changed = TransactionSynchronizationManager.getResource(this);
        return changed instanceof Set<?> organizations && organizations.contains(organizationId);
    }

    /** Forwarded by the owner's listener: another node (or this one) changed an organization's data. */
    public void on(ClusterSignal signal) {
        if (topic.equals(signal.topic())) {
            forget(UUID.fromString(signal.payload()));
        }
    }

    private AtomicLong generation(UUID organizationId) {
        return generations.computeIfAbsent(organizationId, id -> new AtomicLong());
    }

    private void forget(UUID organizationId) {
        generation(organizationId).incrementAndGet();
        anyChange.incrementAndGet();
        kept.keySet().removeIf(k -> k.organizationId().equals(organizationId));
        keptAcross.values().removeIf(k -> k.organizationId().equals(organizationId));
    }
}
