package io.switchboard.knowledge;

import io.switchboard.database.TenantScope;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's copy of each organization's index ({@link VectorIndex}, {@link WordIndex}), loaded on the first search
 * and replaced after the organization's documents change. A small index is reloaded by the next search itself; a
 * large one (100,000 chunks take ~10 s) keeps answering from the previous copy while one background load makes the
 * new one — searches never wait for it. The previous copy may still hold a chunk of a deleted document: search
 * reads the passages' text from PostgreSQL, so such a chunk is dropped there and never shown. A newly indexed
 * document is found once the new copy is in (seconds).
 */
final class IndexCopies<T> {

    private static final Logger log = LoggerFactory.getLogger(IndexCopies.class);

    private record Copy<T>(T index, long generation) {
    }

    private final String name;
    private final Function<UUID, T> load;
    private final ToIntFunction<T> size;
    private final Executor background;
    private volatile int backgroundFrom;
    private final Map<UUID, Copy<T>> copies = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicLong> generations = new ConcurrentHashMap<>();
    private final Set<UUID> reloading = ConcurrentHashMap.newKeySet();

    /**
     * @param load           reads an organization's index (called in that organization's tenant scope)
     * @param size           an index's chunk count
     * @param backgroundFrom from this many chunks a stale copy is replaced in the background
     */
    IndexCopies(String name, Function<UUID, T> load, ToIntFunction<T> size, Executor background, int backgroundFrom) {
        this.name = name;
        this.load = load;
        this.size = size;
        this.background = background;
        this.backgroundFrom = backgroundFrom;
    }

    /** The organization's index: the current copy, or the previous one while a large index reloads. */
    T of(UUID organizationId) {
        AtomicLong generation = generation(organizationId);
        long wanted = generation.get();
        Copy<T> copy = copies.get(organizationId);
        if (copy != null && copy.generation() == wanted) {
            return copy.index();
        }
        if (copy != null && size.applyAsInt(copy.index()) >= backgroundFrom) {
            reloadInBackground(organizationId);
            return copy.index();
        }
        T fresh = load.apply(organizationId);
        keep(organizationId, fresh, wanted);
        return fresh;
    }

    /** The organization's documents changed (on any node): the copy is stale from now on. */
    void changed(UUID organizationId) {
        generation(organizationId).incrementAndGet();
    }

    /** For tests: from how many chunks stale copies are replaced in the background. */
    void backgroundFrom(int chunks) {
        this.backgroundFrom = chunks;
    }

    private void reloadInBackground(UUID organizationId) {
        if (!reloading.add(organizationId)) {
            return; // one load at a time per organization
        }
        background.execute(() -> {
            try {
                // a change committed during the load leaves this copy stale again, and the next search starts another
                long wanted = generation(organizationId).get();
                T fresh = TenantScope.call(organizationId, () -> load.apply(organizationId));
                keep(organizationId, fresh, wanted);
            } catch (RuntimeException e) {
                log.warn("Reloading the {} of organization {} failed; searches keep the previous copy", name, organizationId, e);
            } finally {
                reloading.remove(organizationId);
            }
        });
    }

    private void keep(UUID organizationId, T index, long generation) {
        // never replace a newer copy with an older one
        copies.merge(organizationId, new Copy<>(index, generation),
                (current, candidate) -> candidate.generation() >= current.generation() ? candidate : current);
    }

    private AtomicLong generation(UUID organizationId) {
        return generations.computeIfAbsent(organizationId, id -> new AtomicLong());
    }
}
