package io.switchboard.knowledge;

import static org.awaitility.Awaitility.await;

import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Retrieval latency over 100,000 chunks (run by {@code bench/knowledge}, skipped otherwise): the evaluation's store
 * policies plus 99,9xx synthetic chunks (words drawn from the policies, vectors = real chunk vectors plus noise,
 * so both the full-text index and the vector scan have realistic work), then every evaluation question asked
 * repeatedly through hybrid search. Prints p50/p95/p99 and the parts of a search.
 */
@IntegrationTest
@EnabledIfSystemProperty(named = "switchboard.bench", matches = "true")
class RetrievalBenchmarkTest {

    static final int CHUNKS = 100_000;

    @Autowired
    Tenants tenants;

    @Autowired
    KnowledgeBases bases;

    @Autowired
    KnowledgeSearch search;

    @Autowired
    TextEmbeddings embeddings;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void hybridRetrievalOverOneHundredThousandChunks() throws Exception {
        Tenants.Tenant tenant = tenants.create("Knowledge benchmark");
        embeddings.embed("aquece o modelo"); // the model's one-time load is not indexing time
        long indexStart = System.nanoTime();
        UUID baseId = tenant.scoped(() -> {
            KnowledgeBase base = bases.create("Casa Aurora", "benchmark");
            bases.upload(base.id(), "politicas-casa-aurora.md", "text/markdown", RetrievalEvaluationTest.resource("politicas-casa-aurora.md"), null);
            bases.upload(base.id(), "aurora-home-policies-en.md", "text/markdown", RetrievalEvaluationTest.resource("aurora-home-policies-en.md"), null);
            return base.id();
        });
        await().atMost(Duration.ofMinutes(3)).until(() -> tenant.scoped(() -> bases.documents(baseId)).stream()
                .allMatch(d -> d.status() == KnowledgeDocument.Status.READY));
        double indexSeconds = (System.nanoTime() - indexStart) / 1e9;
        int real = tenant.scoped(() -> bases.documents(baseId)).stream().mapToInt(KnowledgeDocument::chunksTotal).sum();
        // embedding alone, as the indexing job does it (batches of DocumentIndexing.BATCH), over real passages
        List<String> passages = new ArrayList<>();
        String[] paragraphs = (new String(RetrievalEvaluationTest.resource("politicas-casa-aurora.md"))
                + "\n\n" + new String(RetrievalEvaluationTest.resource("aurora-home-policies-en.md"))).split("\n\n");
        for (int i = 0; passages.size() < 256; i++) {
            passages.add(paragraphs[i % paragraphs.length]);
        }
        long embedStart = System.nanoTime();
        for (int from = 0; from < passages.size(); from += DocumentIndexing.BATCH) {
            embeddings.embedAll(passages.subList(from, Math.min(passages.size(), from + DocumentIndexing.BATCH)));
        }
        double embedSeconds = (System.nanoTime() - embedStart) / 1e9;
        String text = new String(RetrievalEvaluationTest.resource("politicas-casa-aurora.md"))
                + new String(RetrievalEvaluationTest.resource("aurora-home-policies-en.md"));
        String[] words = text.replaceAll("[#>*]", " ").split("\\s+");
        List<float[]> seeds = embeddings.embedAll(Arrays.stream(text.split("\n\n")).filter(p -> p.length() > 80).limit(60).toList());

        long insertStart = System.nanoTime();
        Random random = new Random(11);
        int synthetic = CHUNKS - real;
        tenant.scoped(() -> {
            for (int doc = 0; doc < 100; doc++) {
                UUID documentId = jdbc.queryForObject("""
                        insert into knowledge_documents (organization_id, knowledge_base_id, kind, title, language, status)
                        values (?, ?, 'file', ?, 'portuguese', 'ready') returning id""", UUID.class, tenant.id(), baseId, "synthetic " + doc);
                int perDocument = synthetic / 100 + (doc < synthetic % 100 ? 1 : 0);
                List<Object[]> rows = new ArrayList<>();
                for (int position = 0; position < perDocument; position++) {
                    StringBuilder content = new StringBuilder();
                    for (int w = 0; w < 80; w++) {
                        content.append(words[random.nextInt(words.length)]).append(' ');
                    }
                    float[] seed = seeds.get(random.nextInt(seeds.size()));
                    float[] vector = new float[seed.length];
                    double norm = 0;
                    for (int i = 0; i < seed.length; i++) {
                        vector[i] = (float) (seed[i] + random.nextGaussian() * 0.05);
                        norm += vector[i] * vector[i];
                    }
                    for (int i = 0; i < seed.length; i++) {
                        vector[i] /= (float) Math.sqrt(norm);
                    }
                    rows.add(new Object[] {tenant.id(), baseId, documentId, position, "Seção " + position, content.toString(),
                            TextEmbeddings.MODEL, vector, content.toString()});
                }
                jdbc.batchUpdate("""
                        insert into knowledge_chunks (organization_id, knowledge_base_id, document_id, position, section, content,
                                                      embedding_model, embedding, search_vector)
                        values (?, ?, ?, ?, ?, ?, ?, ?, to_tsvector('portuguese', switchboard_search_text(?)))""", rows);
            }
            return null;
        });
        double insertSeconds = (System.nanoTime() - insertStart) / 1e9;
        // a database that has held its chunks for a while has vacuumed them: autovacuum's first pass over 100,000
        // fresh rows would otherwise run during the timed searches, on the same two cores
        jdbc.execute("vacuum analyze knowledge_chunks");
        List<String> questions = RetrievalEvaluationTest.questions().stream().map(RetrievalEvaluationTest.Question::text).toList();

        long loadStart = System.nanoTime();
        tenant.scoped(() -> search.search(List.of(baseId), "aquecimento", 5, KnowledgeSearch.Mode.HYBRID));
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        for (int i = 0; i < 50; i++) {
            String q = questions.get(i % questions.size());
            tenant.scoped(() -> search.search(List.of(baseId), q, 5, KnowledgeSearch.Mode.HYBRID));
        }
        System.gc(); // the index load's garbage (hundreds of MB) is not a search's cost
        int rounds = 4;
        long[] total = new long[questions.size() * rounds];
        long[] embed = new long[total.length];
        long[] vectorsOnly = new long[total.length];
        long[] fullTextOnly = new long[total.length];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < questions.size(); i++) {
                String q = questions.get(i);
                int at = r * questions.size() + i;
                long t0 = System.nanoTime();
                tenant.scoped(() -> search.search(List.of(baseId), q, 5, KnowledgeSearch.Mode.HYBRID));
                total[at] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                embeddings.embed(q);
                embed[at] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                tenant.scoped(() -> search.search(List.of(baseId), q, 5, KnowledgeSearch.Mode.VECTORS));
                vectorsOnly[at] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                tenant.scoped(() -> search.search(List.of(baseId), q, 5, KnowledgeSearch.Mode.FULL_TEXT));
                fullTextOnly[at] = System.nanoTime() - t0;
            }
        }
        StringBuilder report = new StringBuilder();
        report.append(String.format("Retrieval benchmark: %d chunks (%d real + %d synthetic), synthetic insert %.1f s (%.0f chunks/s), "
                + "vector index load %.2f s, %d searches%n", CHUNKS, real, synthetic, insertSeconds, synthetic / insertSeconds,
                loadSeconds, total.length));
        report.append(String.format("Indexing through the durable job (parse, chunk, embed, store) of the 2 policy documents: "
                + "%d chunks in %.1f s (%.1f chunks/s); embedding alone: %d passages in %.1f s (%.1f chunks/s)%n",
                real, indexSeconds, real / indexSeconds, passages.size(), embedSeconds, passages.size() / embedSeconds));
        report.append(String.format("Machine: %d cores, load average %.1f at the end (shared machine)%n",
                Runtime.getRuntime().availableProcessors(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        report.append(line("hybrid search", total)).append(line("  query embedding", embed))
                .append(line("vectors-only search", vectorsOnly)).append(line("full-text-only search", fullTextOnly));
        System.out.println(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "knowledge-bench.txt"), report.toString());
    }

    private static String line(String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("%-24s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n", name, ms(sorted, 0.50), ms(sorted, 0.95),
                ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
