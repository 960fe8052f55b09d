package io.switchboard.knowledge;

import io.switchboard.database.ClusterSignal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Each organization's chunk words in memory, ranked by BM25. PostgreSQL's text search still reads the words — each
 * chunk's {@code search_vector} is its document language's stemmed, accent-free lexemes, and the question is
 * stemmed the same way — but ranking runs here: in PostgreSQL every chunk holding any of the question's words had
 * to be fetched and ranked, and a common word ("entrega") is in 40 % of a store's chunks, so one search over
 * 100,000 chunks took 0.3–1.3 s. Here it walks the words' posting lists (a few milliseconds).
 *
 * <p>A word in the chunk's section path (stored with weight A) counts three times, B twice.
 *
 * <p>Loaded lazily on an organization's first search and replaced with its vectors ({@link IndexCopies}) after the
 * {@link VectorIndex#CHANGED} signal, when a document is indexed or deleted.
 */
@Component
class WordIndex {

    /** BM25's usual constants: term-frequency saturation and length normalization. */
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    /** The text search configurations chunks are stored in (their document's language). */
    static final List<String> LANGUAGES = List.of(DocumentLanguage.PORTUGUESE, DocumentLanguage.ENGLISH, "simple");

    /** The rows holding one lexeme, and how often it occurs in each. */
    record Postings(int[] rows, int[] counts) {
    }

    /** One organization's words: row i is {@code chunks[i]} of base {@code bases[baseOfRow[i]]}. */
    record Words(UUID[] chunks, Map<UUID, Integer> rows, UUID[] bases, int[] baseOfRow, byte[] languageOfRow, int[] lengths,
                 List<Map<String, Postings>> byLanguage, int[] rowsPerLanguage, double[] averageLength) {
    }

    /** How many of the question's words a chunk holds ({@code matched}) of the {@code wanted} ones. */
    record Overlap(int matched, int wanted) {
    }

    private final JdbcClient jdbc;
    private final IndexCopies<Words> copies;

    WordIndex(JdbcClient jdbc,
              @org.springframework.beans.factory.annotation.Value("${switchboard.knowledge.background-reload-from:20000}") int backgroundFrom) {
        this.jdbc = jdbc;
        this.copies = new IndexCopies<>("word index", this::load, words -> words.chunks().length, VectorIndex.RELOADS, backgroundFrom);
    }

    /**
     * The {@code k} chunks of {@code bases} that best match the question's lexemes (per language, as PostgreSQL
     * stemmed them), best first; chunks sharing none of the words are not returned. Runs in the tenant's scope.
     */
    List<UUID> best(UUID organizationId, Set<UUID> bases, Map<String, List<String>> lexemesByLanguage, int k) {
        Words words = of(organizationId);
        boolean[] searched = new boolean[words.bases().length];
        for (int b = 0; b < searched.length; b++) {
            searched[b] = bases.contains(words.bases()[b]);
        }
        double[] scores = scratch(words.chunks().length);
        int[] touched = new int[16];
        int touchedCount = 0;
        for (int language = 0; language < LANGUAGES.size(); language++) {
            Map<String, Postings> postings = words.byLanguage().get(language);
            int rowsInLanguage = words.rowsPerLanguage()[language];
            for (String lexeme : Set.copyOf(lexemesByLanguage.getOrDefault(LANGUAGES.get(language), List.of()))) {
                Postings list = postings.get(lexeme);
                if (list == null) {
                    continue;
                }
                int df = list.rows().length;
                double idf = Math.log(1 + (rowsInLanguage - df + 0.5) / (df + 0.5));
                for (int i = 0; i < list.rows().length; i++) {
                    int row = list.rows()[i];
                    if (!searched[words.baseOfRow()[row]]) {
                        continue;
                    }
                    double tf = list.counts()[i];
                    double norm = K1 * (1 - B + B * words.lengths()[row] / words.averageLength()[language]);
                    if (scores[row] == 0) {
                        if (touchedCount == touched.length) {
                            touched = Arrays.copyOf(touched, touched.length * 2);
                        }
                        touched[touchedCount++] = row;
                    }
                    scores[row] += idf * tf * (K1 + 1) / (tf + norm);
                }
            }
        }
        PriorityQueue<Integer> top = new PriorityQueue<>(k + 1, (a, b) -> Double.compare(scores[a], scores[b]));
        for (int i = 0; i < touchedCount; i++) {
            top.add(touched[i]);
            if (top.size() > k) {
                top.poll();
            }
        }
        List<UUID> best = new ArrayList<>(top.size());
        while (!top.isEmpty()) {
            best.add(words.chunks()[top.poll()]);
        }
        for (int i = 0; i < touchedCount; i++) {
            scores[touched[i]] = 0;
        }
        SCRATCH.set(scores); // back only clean: a search that failed half-way leaves the next one a new array
        java.util.Collections.reverse(best);
        return best;
    }

    /**
     * How many of the question's words the chunk holds, counted in its document's language (English lexemes for an
     * English document, Portuguese ones otherwise), as the relevance gate needs them. A chunk this copy of the index
     * does not hold yet (indexed a moment ago) holds none.
     */
    Overlap overlap(UUID organizationId, UUID chunkId, Map<String, List<String>> lexemesByLanguage) {
        Words words = of(organizationId);
        Integer row = words.rows().get(chunkId);
        int language = row == null ? 0 : words.languageOfRow()[row];
        List<String> wanted = lexemesByLanguage.getOrDefault(LANGUAGES.get(language == 1 ? 1 : 0), List.of());
        if (row == null) {
            return new Overlap(0, wanted.size());
        }
        Map<String, Postings> postings = words.byLanguage().get(language);
        int matched = 0;
        for (String lexeme : wanted) {
            Postings list = postings.get(lexeme);
            // rows were added in order, so every posting list is sorted
            if (list != null && Arrays.binarySearch(list.rows(), row) >= 0) {
                matched++;
            }
        }
        return new Overlap(matched, wanted.size());
    }

    // one score per chunk, reused by the thread's next search: 100,000 chunks would allocate 800 KB per search
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[0]);

    private static double[] scratch(int size) {
        double[] scores = SCRATCH.get();
        SCRATCH.remove();
        return scores.length < size ? new double[size] : scores;
    }

    @EventListener
    void on(ClusterSignal signal) {
        if (VectorIndex.CHANGED.equals(signal.topic())) {
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

    private Words of(UUID organizationId) {
        return copies.of(organizationId);
    }

    /** A posting list being built. */
    private static final class Growing {
        int[] rows = new int[4];
        int[] counts = new int[4];
        int size;

        void add(int row, int count) {
            if (size == rows.length) {
                rows = Arrays.copyOf(rows, size * 2);
                counts = Arrays.copyOf(counts, size * 2);
            }
            rows[size] = row;
            counts[size++] = count;
        }

        Postings done() {
            return new Postings(Arrays.copyOf(rows, size), Arrays.copyOf(counts, size));
        }
    }

    private Words load(UUID organizationId) {
        List<UUID> chunks = new ArrayList<>();
        List<Integer> baseOfRow = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        java.io.ByteArrayOutputStream languages = new java.io.ByteArrayOutputStream();
        Map<UUID, Integer> baseIndexes = new HashMap<>();
        List<Map<String, Growing>> growing = new ArrayList<>();
        LANGUAGES.forEach(l -> growing.add(new HashMap<>()));
        int[] rowsPerLanguage = new int[LANGUAGES.size()];
        long[] lengthPerLanguage = new long[LANGUAGES.size()];
        jdbc.sql("""
                        select c.id, c.knowledge_base_id, d.language, c.search_vector::text
                        from knowledge_chunks c join knowledge_documents d on d.id = c.document_id
                        where c.organization_id = ?""")
                .param(organizationId)
                .query(rs -> {
                    int language = Math.max(0, LANGUAGES.indexOf(rs.getString(3)));
                    int row = chunks.size();
                    chunks.add(rs.getObject(1, UUID.class));
                    languages.write(language);
                    baseOfRow.add(baseIndexes.computeIfAbsent(rs.getObject(2, UUID.class), b -> baseIndexes.size()));
                    Map<String, Growing> postings = growing.get(language);
                    int length = Lexemes.read(rs.getString(4), (lexeme, count) ->
                            postings.computeIfAbsent(lexeme, l -> new Growing()).add(row, count));
                    lengths.add(length);
                    rowsPerLanguage[language]++;
                    lengthPerLanguage[language] += length;
                });
        List<Map<String, Postings>> byLanguage = new ArrayList<>();
        double[] averageLength = new double[LANGUAGES.size()];
        for (int language = 0; language < LANGUAGES.size(); language++) {
            Map<String, Postings> frozen = new HashMap<>(growing.get(language).size() * 2);
            growing.get(language).forEach((lexeme, list) -> frozen.put(lexeme, list.done()));
            byLanguage.add(frozen);
            averageLength[language] = rowsPerLanguage[language] == 0 ? 1
                    : Math.max(1, (double) lengthPerLanguage[language] / rowsPerLanguage[language]);
        }
        UUID[] bases = new UUID[baseIndexes.size()];
        baseIndexes.forEach((base, index) -> bases[index] = base);
        Map<UUID, Integer> rows = new HashMap<>(chunks.size() * 2);
        for (int row = 0; row < chunks.size(); row++) {
            rows.put(chunks.get(row), row);
        }
        return new Words(chunks.toArray(UUID[]::new), rows, bases, baseOfRow.stream().mapToInt(Integer::intValue).toArray(),
                languages.toByteArray(), lengths.stream().mapToInt(Integer::intValue).toArray(), byLanguage, rowsPerLanguage, averageLength);
    }

    /** PostgreSQL's text form of a tsvector: {@code 'lexeme':1,5B 'it''s':3 'bare'} (quotes doubled inside). */
    static final class Lexemes {

        interface Sink {
            void lexeme(String lexeme, int count);
        }

        /** Calls {@code sink} once per lexeme with how often it occurs; returns the total of those counts. */
        static int read(String text, Sink sink) {
            if (text == null) {
                return 0;
            }
            int total = 0;
            int i = 0;
            int n = text.length();
            StringBuilder lexeme = new StringBuilder();
            while (i < n) {
                while (i < n && text.charAt(i) == ' ') {
                    i++;
                }
                if (i >= n || text.charAt(i) != '\'') {
                    break;
                }
                i++;
                lexeme.setLength(0);
                while (i < n) {
                    char c = text.charAt(i);
                    if (c == '\'') {
                        if (i + 1 < n && text.charAt(i + 1) == '\'') {
                            lexeme.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (c == '\\' && i + 1 < n) {
                        c = text.charAt(++i);
                    }
                    lexeme.append(c);
                    i++;
                }
                int count = 1;
                if (i < n && text.charAt(i) == ':') {
                    count = 0;
                    i++;
                    while (i < n && text.charAt(i) != ' ') {
                        char c = text.charAt(i++);
                        if (c == ',' || i == n || text.charAt(i) == ' ') {
                            // the position just read ends here; its weight letter (if any) came before
                            count += weightBefore(text, i - (c == ',' ? 1 : 0));
                        }
                    }
                }
                sink.lexeme(lexeme.toString(), count);
                total += count;
            }
            return total;
        }

        /**
         * A position's weight: the section path is stored with weight A (a word in a heading says more about the chunk
         * than one in its body), B counts double, C and the default D once.
         */
        private static int weightBefore(String text, int end) {
            return switch (text.charAt(end - 1)) {
                case 'A' -> 3;
                case 'B' -> 2;
                default -> 1;
            };
        }

        private Lexemes() {
        }
    }
}
