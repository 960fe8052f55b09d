package io.switchboard.knowledge;

import io.switchboard.database.ClusterSignal;
import io.switchboard.database.ClusterSignals;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Each organization's chunk vectors in memory, for exact nearest-neighbour search in-process (pgvector is not
 * available here). Loaded lazily on an organization's first search from {@code knowledge_chunks}; stale on every
 * node when a document of that organization is indexed or deleted ({@code knowledge_changed} signal) and replaced
 * as {@link IndexCopies} says (a large one in the background). 100,000 chunks take ~150 MB and a scan ~7 ms on this machine's 2 cores (see the benchmark).
 */
@Component
class VectorIndex {

    static final String CHANGED = "knowledge_changed";

    /**
     * One organization's vectors, row i of {@code flat} belonging to {@code chunks[i]} of base
     * {@code bases[baseOfRow[i]]}.
     */
    record Vectors(UUID[] chunks, UUID[] bases, int[] baseOfRow, float[] flat, Map<UUID, Integer> rows, int dimensions) {

        int size() {
            return chunks.length;
        }

        double cosine(int row, float[] query) {
            int offset = row * dimensions;
            // four sums side by side: the CPU overlaps them, a single running sum waits on each addition
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int i = 0;
            for (; i + 3 < dimensions; i += 4) {
                s0 += flat[offset + i] * query[i];
                s1 += flat[offset + i + 1] * query[i + 1];
                s2 += flat[offset + i + 2] * query[i + 2];
                s3 += flat[offset + i + 3] * query[i + 3];
            }
            for (; i < dimensions; i++) {
                s0 += flat[offset + i] * query[i];
            }
            return (double) s0 + s1 + s2 + s3;
        }

        /** Which rows' bases are searched: one flag per distinct base instead of a set lookup per row. */
        boolean[] searched(Set<UUID> wanted) {
            boolean[] searched = new boolean[bases.length];
            for (int b = 0; b < bases.length; b++) {
                searched[b] = wanted.contains(bases[b]);
            }
            return searched;
        }
    }

    record Hit(UUID chunkId, double cosine) {
    }

    private final JdbcClient jdbc;
    private final ClusterSignals signals;
    private final TextEmbeddings embeddings;
    private final IndexCopies<Vectors> copies;

    VectorIndex(JdbcClient jdbc, ClusterSignals signals, TextEmbeddings embeddings,
                @org.springframework.beans.factory.annotation.Value("${switchboard.knowledge.background-reload-from:20000}") int backgroundFrom) {
        this.jdbc = jdbc;
        this.signals = signals;
        this.embeddings = embeddings;
        this.copies = new IndexCopies<>("vectors", this::load, Vectors::size, RELOADS, backgroundFrom);
    }

    /** Where large organizations' indexes are reloaded after a change, one at a time, off the searches' threads. */
    static final java.util.concurrent.Executor RELOADS = java.util.concurrent.Executors.newSingleThreadExecutor(work -> {
        Thread thread = new Thread(work, "knowledge-index-reload");
        thread.setDaemon(true);
        return thread;
    });

    /** Rows scanned by one task: a large organization's scan is split over the cores (100,000 rows: 15 ms → 7 ms on 2). */
    private static final int ROWS_PER_TASK = 12_500;

    /** The {@code k} chunks of {@code bases} closest to {@code query}, closest first. Runs in the tenant's scope. */
    List<Hit> nearest(UUID organizationId, Set<UUID> bases, float[] query, int k) {
        Vectors vectors = of(organizationId);
        if (query.length != vectors.dimensions()) {
            return List.of(); // the question was embedded by another model than the stored vectors (the model just changed)
        }
        boolean[] searched = vectors.searched(bases);
        int tasks = Math.max(1, (vectors.size() + ROWS_PER_TASK - 1) / ROWS_PER_TASK);
        List<Hit> hits = java.util.stream.IntStream.range(0, tasks).parallel()
                .mapToObj(task -> closest(vectors, searched, query, k, task * ROWS_PER_TASK,
                        Math.min(vectors.size(), (task + 1) * ROWS_PER_TASK)))
                .flatMap(List::stream)
                .sorted(java.util.Comparator.comparingDouble(Hit::cosine).reversed())
                .limit(k)
                .toList();
        return hits;
    }

    /** The {@code k} closest among rows {@code from} (inclusive) to {@code to}, closest first. */
    private static List<Hit> closest(Vectors vectors, boolean[] searched, float[] query, int k, int from, int to) {
        int[] best = new int[k];
        double[] scores = new double[k];
        int found = 0;
        int[] baseOfRow = vectors.baseOfRow();
        for (int row = from; row < to; row++) {
            if (!searched[baseOfRow[row]]) {
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
        copies.changed(organizationId);
    }

    /** For tests: from how many chunks a changed index is reloaded in the background. */
    void backgroundFrom(int chunks) {
        copies.backgroundFrom(chunks);
    }

    private Vectors of(UUID organizationId) {
        return copies.of(organizationId);
    }

    private Vectors load(UUID organizationId) {
        List<UUID> chunks = new ArrayList<>();
        List<Integer> baseOfRow = new ArrayList<>();
        Map<UUID, Integer> baseIndexes = new HashMap<>();
        List<float[]> rows = new ArrayList<>();
        // array_send gives the array's binary form: parsing 100,000 vectors from their text form took ~50 s
        jdbc.sql("select id, knowledge_base_id, array_send(embedding) from knowledge_chunks"
                        + " where organization_id = ? and embedding_model = ? and embedding is not null")
                .params(organizationId, embeddings.model())
                .query(rs -> {
                    float[] vector = floats(rs.getBytes(3));
                    if (vector == null) {
                        return;
                    }
                    chunks.add(rs.getObject(1, UUID.class));
                    baseOfRow.add(baseIndexes.computeIfAbsent(rs.getObject(2, UUID.class), b -> baseIndexes.size()));
                    rows.add(vector);
                });
        // every vector of one model has its dimensions (384 in-process; whatever an organization's endpoint gives)
        int dimensions = rows.isEmpty() ? TextEmbeddings.DIMENSIONS : rows.get(0).length;
        float[] flat = new float[rows.size() * dimensions];
        Map<UUID, Integer> positions = new HashMap<>(chunks.size() * 2);
        int[] baseRows = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, flat, i * dimensions, Math.min(dimensions, rows.get(i).length));
            positions.put(chunks.get(i), i);
            baseRows[i] = baseOfRow.get(i);
        }
        UUID[] bases = new UUID[baseIndexes.size()];
        baseIndexes.forEach((base, index) -> bases[index] = base);
        return new Vectors(chunks.toArray(UUID[]::new), bases, baseRows, flat, positions, dimensions);
    }

    /**
     * A one-dimensional real[] from PostgreSQL's binary array format (ndim, has-nulls flag, element type, then per
     * dimension its length and lower bound, then per element its byte length and IEEE float); null for an array
     * with nulls or of another shape.
     */
    static float[] floats(byte[] binary) {
        if (binary == null) {
            return null;
        }
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(binary); // network byte order, as PostgreSQL sends it
        int dimensionCount = in.getInt();
        int hasNulls = in.getInt();
        in.getInt(); // element type oid (float4)
        if (dimensionCount == 0) {
            return new float[0];
        }
        if (dimensionCount != 1 || hasNulls != 0) {
            return null;
        }
        int length = in.getInt();
        in.getInt(); // lower bound
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            if (in.getInt() != Float.BYTES) {
                return null;
            }
            out[i] = in.getFloat();
        }
        return out;
    }
}
