package io.switchboard.knowledge;

import io.switchboard.database.ClusterSignal;
import io.switchboard.database.ClusterSignals;
import java.sql.Array;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Each organization's chunk vectors in memory, for exact nearest-neighbour search in-process (pgvector is not
 * available here). Loaded lazily on an organization's first search from {@code knowledge_chunks}; dropped on every
 * node when a document of that organization is indexed or deleted ({@code knowledge_changed} signal), and loaded
 * again on the next search. 100,000 chunks take ~150 MB and a scan takes a few milliseconds (see the benchmark).
 */
@Component
class VectorIndex {

    static final String CHANGED = "knowledge_changed";

    /** One organization's vectors, row i of {@code flat} belonging to {@code chunks[i]}. */
    record Vectors(UUID[] chunks, UUID[] bases, float[] flat, Map<UUID, Integer> rows, int dimensions) {

        int size() {
            return chunks.length;
        }

        double cosine(int row, float[] query) {
            double sum = 0;
            int offset = row * dimensions;
            for (int i = 0; i < dimensions; i++) {
                sum += flat[offset + i] * query[i];
            }
            return sum;
        }
    }

    record Hit(UUID chunkId, double cosine) {
    }

    private final JdbcClient jdbc;
    private final ClusterSignals signals;
    private final TextEmbeddings embeddings;
    private final Map<UUID, Vectors> loaded = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicLong> generations = new ConcurrentHashMap<>();

    VectorIndex(JdbcClient jdbc, ClusterSignals signals, TextEmbeddings embeddings) {
        this.jdbc = jdbc;
        this.signals = signals;
        this.embeddings = embeddings;
    }

    /** The {@code k} chunks of {@code bases} closest to {@code query}, closest first. Runs in the tenant's scope. */
    List<Hit> nearest(UUID organizationId, Set<UUID> bases, float[] query, int k) {
        Vectors vectors = of(organizationId);
        if (query.length != vectors.dimensions()) {
            return List.of(); // the question was embedded by another model than the stored vectors (the model just changed)
        }
        int[] best = new int[k];
        double[] scores = new double[k];
        int found = 0;
        for (int row = 0; row < vectors.size(); row++) {
            if (!bases.contains(vectors.bases()[row])) {
                continue;
            }
            double score = vectors.cosine(row, query);
            if (found < k || score > scores[found - 1]) {
                int at = found < k ? found++ : found - 1;
                while (at > 0 && scores[at - 1] < score) {
                    scores[at] = scores[at - 1];
                    best[at] = best[at - 1];
                    at--;
                }
                scores[at] = score;
                best[at] = row;
            }
        }
        List<Hit> hits = new ArrayList<>(found);
        for (int i = 0; i < found; i++) {
            hits.add(new Hit(vectors.chunks()[best[i]], scores[i]));
        }
        return hits;
    }

    /** Cosine of a chunk with the query, or NaN when the chunk has no vector of the current model. */
    double cosine(UUID organizationId, UUID chunkId, float[] query) {
        Vectors vectors = of(organizationId);
        Integer row = vectors.rows().get(chunkId);
        return row == null || query.length != vectors.dimensions() ? Double.NaN : vectors.cosine(row, query);
    }

    /** Tells every node (this one included) to reload the organization's vectors; inside a transaction, at commit. */
    void changed(UUID organizationId) {
        signals.publish(CHANGED, organizationId.toString());
    }

    @EventListener
    void on(ClusterSignal signal) {
        if (CHANGED.equals(signal.topic())) {
            forget(UUID.fromString(signal.payload()));
        }
    }

    void forget(UUID organizationId) {
        generations.computeIfAbsent(organizationId, id -> new AtomicLong()).incrementAndGet();
        loaded.remove(organizationId);
    }

    private Vectors of(UUID organizationId) {
        Vectors vectors = loaded.get(organizationId);
        if (vectors != null) {
            return vectors;
        }
        long generation = generations.computeIfAbsent(organizationId, id -> new AtomicLong()).get();
        vectors = load(organizationId);
        // a change committed while we were loading makes this copy stale: use it once, do not keep it
        if (generations.get(organizationId).get() == generation) {
            loaded.put(organizationId, vectors);
        }
        return vectors;
    }

    private Vectors load(UUID organizationId) {
        List<UUID> chunks = new ArrayList<>();
        List<UUID> bases = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        jdbc.sql("select id, knowledge_base_id, embedding from knowledge_chunks where organization_id = ? and embedding_model = ?")
                .params(organizationId, embeddings.model())
                .query(rs -> {
                    chunks.add(rs.getObject(1, UUID.class));
                    bases.add(rs.getObject(2, UUID.class));
                    rows.add(floats(rs.getArray(3)));
                });
        // every vector of one model has its dimensions (384 in-process; whatever an organization's endpoint gives)
        int dimensions = rows.isEmpty() ? TextEmbeddings.DIMENSIONS : rows.get(0).length;
        float[] flat = new float[rows.size() * dimensions];
        Map<UUID, Integer> positions = new HashMap<>(chunks.size() * 2);
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, flat, i * dimensions, dimensions);
            positions.put(chunks.get(i), i);
        }
        return new Vectors(chunks.toArray(UUID[]::new), bases.toArray(UUID[]::new), flat, positions, dimensions);
    }

    private static float[] floats(Array array) throws java.sql.SQLException {
        Object[] values = (Object[]) array.getArray();
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = ((Number) values[i]).floatValue();
        }
        return out;
    }
}
