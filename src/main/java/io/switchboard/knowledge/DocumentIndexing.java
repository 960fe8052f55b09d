package io.switchboard.knowledge;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.switchboard.outbound.OutboundFailure;
import io.switchboard.outbound.OutboundHttp;
import io.switchboard.outbound.OutboundResponse;
import io.switchboard.database.ClusterSignals;
import io.switchboard.database.DueJobs;
import io.switchboard.database.TenantScope;
import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Indexing as a durable job per document version (db-scheduler, keyed by document id and version): parse, chunk,
 * embed — reporting chunks done / total as it goes — then replace the document's chunks in one transaction, so a
 * search sees either the old version or the new one, never half of each. A job for a version that was replaced or
 * deleted meanwhile ends without writing. A document that cannot be read is marked {@code failed} with the reason.
 * A node that dies mid-job leaves the job to be revived elsewhere; it starts over.
 */
@Configuration(proxyBeanMethods = false)
class DocumentIndexing {

    private static final Logger log = LoggerFactory.getLogger(DocumentIndexing.class);
    static final TaskDescriptor<IndexOrder> TASK = TaskDescriptor.of("knowledge-indexing", IndexOrder.class);
    /** Chunks embedded between two progress reports. */
    static final int BATCH = 8;

    record IndexOrder(UUID organizationId, UUID documentId, int version, boolean guessLanguage) implements Serializable {
    }

    private record Source(String kind, String title, String filename, String contentType, String sourceUrl, byte[] original,
                          String language, int version) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final TextEmbeddings embeddings;
    private final VectorIndex vectors;
    private final ClusterSignals signals;
    private final DueJobs dueJobs;
    private final SchedulerClient scheduler;
    private final TransactionTemplate transaction;
    private final OutboundHttp outbound;

    DocumentIndexing(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TextEmbeddings embeddings, VectorIndex vectors,
                     ClusterSignals signals, DueJobs dueJobs, @Lazy SchedulerClient scheduler, TransactionTemplate transaction,
                     OutboundHttp outbound) {
        this.outbound = outbound;
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.embeddings = embeddings;
        this.vectors = vectors;
        this.signals = signals;
        this.dueJobs = dueJobs;
        this.scheduler = scheduler;
        this.transaction = transaction;
    }

    @Bean
    OneTimeTask<IndexOrder> knowledgeIndexingTask() {
        return Tasks.oneTime(TASK).execute((instance, context) -> {
            IndexOrder order = instance.getData();
            TenantScope.run(order.organizationId(), () -> index(order));
        });
    }

    /** Schedules indexing of a document version, in the caller's transaction (it runs once that commits). */
    void schedule(UUID documentId, int version, boolean guessLanguage) {
        UUID organizationId = TenantScope.requireOrganization();
        scheduler.scheduleIfNotExists(TASK.instance(documentId + "@" + version)
                .data(new IndexOrder(organizationId, documentId, version, guessLanguage)).scheduledTo(Instant.now()));
        dueJobs.checkAfterCommit();
    }

    void index(IndexOrder order) {
        Optional<Source> found = source(order.documentId());
        if (found.isEmpty() || found.get().version() != order.version()) {
            return; // deleted or replaced meanwhile: the newer version has its own job
        }
        Source source = found.get();
        try {
            ParsedDocument parsed = parse(source);
            List<Chunker.Chunk> chunks = Chunker.chunks(parsed);
            String language = order.guessLanguage() ? DocumentLanguage.guess(parsed.fullText()) : source.language();
            String title = "qa".equals(source.kind()) ? source.title() : parsed.title();
            if (!progress(order, "indexing", 0, chunks.size(), title, language)) {
                return;
            }
            String model = embeddings.model(); // recorded with the vectors it makes, even if the setting changes meanwhile
            List<float[]> vectorsOfChunks = new ArrayList<>(chunks.size());
            for (int from = 0; from < chunks.size(); from += BATCH) {
                List<Chunker.Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + BATCH));
                vectorsOfChunks.addAll(embeddings.embedAll(batch.stream().map(Chunker.Chunk::searchableText).toList()));
                if (!progress(order, "indexing", vectorsOfChunks.size(), chunks.size(), null, null)) {
                    return;
                }
            }
            store(order, chunks, vectorsOfChunks, language, model);
        } catch (DocumentParser.UnreadableDocument | PageUnavailable | TextEmbeddings.EmbeddingUnavailable e) {
            fail(order, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Indexing document {} failed", order.documentId(), e);
            fail(order, "indexing failed unexpectedly (" + e.getClass().getSimpleName() + "); upload the document again");
        }
    }

    private ParsedDocument parse(Source source) {
        return switch (source.kind()) {
            case "qa" -> new ParsedDocument(source.title(), List.of(new ParsedDocument.Section(List.of(),
                    source.title() + "\n" + new String(source.original(), StandardCharsets.UTF_8))));
            case "url" -> DocumentParser.parse(fetch(source.sourceUrl()), "page.html", "text/html");
            default -> DocumentParser.parse(source.original(), source.filename(), source.contentType());
        };
    }

    /** Why a page could not be imported. */
    static final class PageUnavailable extends RuntimeException {
        PageUnavailable(String message) {
            super(message);
        }
    }

    /** Through the outbound guard: a tenant's URL never reaches a private address, and redirects are not followed. */
    private byte[] fetch(String url) {
        try {
            OutboundResponse response = outbound.send(HttpRequest.newBuilder(URI.create(url))
                    .header("User-Agent", "Switchboard knowledge import").GET().build(), Duration.ofSeconds(15));
            if (!response.successful()) {
                throw new PageUnavailable("the page answered HTTP " + response.status() + "; check the address");
            }
            return response.body();
        } catch (OutboundFailure e) {
            throw new PageUnavailable("the page could not be fetched: " + e.getMessage());
        }
    }

    /** Records progress and tells the admin pages; false when the version is gone (stop without writing). */
    private boolean progress(IndexOrder order, String status, int done, int total, String title, String language) {
        Boolean current = transaction.execute(tx -> {
            int updated = jdbc.sql("""
                    update knowledge_documents set status = ?, chunks_done = ?, chunks_total = ?, error = null,
                           title = coalesce(?, title), language = coalesce(?, language), updated_at = now()
                    where id = ? and version = ?""")
                    .params(status, done, total, title, language, order.documentId(), order.version()).update();
            if (updated == 1) {
                signals.publish(DocumentProgress.TOPIC, new DocumentProgress(order.organizationId(), order.documentId(),
                        KnowledgeDocument.Status.of(status), done, total).payload());
            }
            return updated == 1;
        });
        return Boolean.TRUE.equals(current);
    }

    private void store(IndexOrder order, List<Chunker.Chunk> chunks, List<float[]> embedded, String language, String model) {
        transaction.executeWithoutResult(tx -> {
            Integer version = jdbc.sql("select version from knowledge_documents where id = ? for update")
                    .param(order.documentId()).query(Integer.class).optional().orElse(null);
            if (version == null || version != order.version()) {
                return;
            }
            UUID baseId = jdbc.sql("select knowledge_base_id from knowledge_documents where id = ?").param(order.documentId())
                    .query(UUID.class).single();
            jdbc.sql("delete from knowledge_chunks where document_id = ?").param(order.documentId()).update();
            jdbcTemplate.batchUpdate("""
                    insert into knowledge_chunks (organization_id, knowledge_base_id, document_id, position, section, content,
                                                  embedding_model, embedding, search_vector)
                    values (?, ?, ?, ?, ?, ?, ?, ?,
                            setweight(to_tsvector(cast(? as regconfig), switchboard_search_text(?)), 'A')
                            || to_tsvector(cast(? as regconfig), switchboard_search_text(?)))""",
                    chunks, 200, (ps, chunk) -> {
                        ps.setObject(1, order.organizationId());
                        ps.setObject(2, baseId);
                        ps.setObject(3, order.documentId());
                        ps.setInt(4, chunk.position());
                        ps.setString(5, chunk.section());
                        ps.setString(6, chunk.content());
                        ps.setString(7, model);
                        ps.setObject(8, embedded.get(chunk.position()));
                        ps.setString(9, language);
                        ps.setString(10, chunk.section());
                        ps.setString(11, language);
                        ps.setString(12, chunk.content());
                    });
            jdbc.sql("""
                    update knowledge_documents set status = 'ready', chunks_done = ?, chunks_total = ?, error = null,
                           updated_at = now()
                    where id = ?""").params(chunks.size(), chunks.size(), order.documentId()).update();
            vectors.changed(order.organizationId());
            signals.publish(DocumentProgress.TOPIC, new DocumentProgress(order.organizationId(), order.documentId(),
                    KnowledgeDocument.Status.READY, chunks.size(), chunks.size()).payload());
        });
    }

    private void fail(IndexOrder order, String reason) {
        transaction.executeWithoutResult(tx -> {
            int updated = jdbc.sql("update knowledge_documents set status = 'failed', error = ?, updated_at = now() where id = ? and version = ?")
                    .params(reason, order.documentId(), order.version()).update();
            if (updated == 1) {
                signals.publish(DocumentProgress.TOPIC, new DocumentProgress(order.organizationId(), order.documentId(),
                        KnowledgeDocument.Status.FAILED, 0, 0).payload());
            }
        });
    }

    private Optional<Source> source(UUID documentId) {
        return jdbc.sql("""
                select kind, title, filename, content_type, source_url, original, language, version
                from knowledge_documents where id = ?""").param(documentId)
                .query((rs, n) -> new Source(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getBytes(6), rs.getString(7), rs.getInt(8)))
                .optional();
    }
}
