package io.switchboard.knowledge;

import io.switchboard.database.RecordRows;
import io.switchboard.outbound.OutboundGuard;
import io.switchboard.database.TenantScope;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The organization's knowledge bases, their documents and Q&amp;A pairs, and which AI agents answer from them. An
 * upload is stored and its indexing scheduled in one transaction ({@link DocumentIndexing}); the answer returns at
 * once with the document {@code pending}. Re-uploading replaces the document's chunks atomically when the new
 * version is indexed; deleting removes them. Runs in the caller's tenant scope.
 */
@Service
public class KnowledgeBases {

    /** Largest file accepted (bytes); larger uploads are refused before anything is stored. */
    public static final int MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

    /** An AI agent answering from a base, and whether it hands over when the base has nothing relevant. */
    public record Assignment(UUID aiAgentId, boolean handoffWhenMissing) {
    }

    private final JdbcClient jdbc;
    private final OutboundGuard guard;
    private final DocumentIndexing indexing;
    private final VectorIndex vectors;

    KnowledgeBases(JdbcClient jdbc, DocumentIndexing indexing, VectorIndex vectors, OutboundGuard guard) {
        this.guard = guard;
        this.jdbc = jdbc;
        this.indexing = indexing;
        this.vectors = vectors;
    }

    @Transactional
    public KnowledgeBase create(String name, String description) {
        String cleanName = required(name, "name", 200);
        try {
            UUID id = jdbc.sql("insert into knowledge_bases (organization_id, name, description) values (?, ?, ?) returning id")
                    .params(TenantScope.requireOrganization(), cleanName, description == null || description.isBlank() ? null : description.strip())
                    .query(UUID.class).single();
            return find(id);
        } catch (DuplicateKeyException e) {
            throw new Conflict("a knowledge base named '" + cleanName + "' already exists");
        }
    }

    @Transactional(readOnly = true)
    public List<KnowledgeBase> list() {
        return jdbc.sql(BASE_SELECT + " order by b.name").query(KnowledgeBases::base).list();
    }

    @Transactional(readOnly = true)
    public KnowledgeBase find(UUID id) {
        return jdbc.sql(BASE_SELECT + " where b.id = ?").param(id).query(KnowledgeBases::base).optional()
                .orElseThrow(() -> new NotFound("knowledge base " + id + " not found"));
    }

    @Transactional
    public void delete(UUID id) {
        find(id);
        jdbc.sql("delete from knowledge_bases where id = ?").param(id).update();
        vectors.changed(TenantScope.requireOrganization());
    }

    /** Lets an AI agent answer from the base (again: updates {@code handoffWhenMissing}). */
    @Transactional
    public void assign(UUID baseId, UUID aiAgentId, boolean handoffWhenMissing) {
        find(baseId);
        if (jdbc.sql("select count(*) from ai_agents where id = ?").param(aiAgentId).query(Integer.class).single() == 0) {
            throw new InvalidInput("AI agent " + aiAgentId + " not found");
        }
        jdbc.sql("""
                insert into knowledge_base_agents (organization_id, knowledge_base_id, ai_agent_id, handoff_when_missing)
                values (?, ?, ?, ?) on conflict (knowledge_base_id, ai_agent_id) do update set handoff_when_missing = excluded.handoff_when_missing""")
                .params(TenantScope.requireOrganization(), baseId, aiAgentId, handoffWhenMissing).update();
    }

    @Transactional
    public void unassign(UUID baseId, UUID aiAgentId) {
        jdbc.sql("delete from knowledge_base_agents where knowledge_base_id = ? and ai_agent_id = ?").params(baseId, aiAgentId).update();
    }

    @Transactional(readOnly = true)
    public List<Assignment> assignments(UUID baseId) {
        return jdbc.sql("select ai_agent_id, handoff_when_missing from knowledge_base_agents where knowledge_base_id = ? order by ai_agent_id")
                .param(baseId).query(RecordRows.of(Assignment.class)).list();
    }

    /** Stores an uploaded file and schedules its indexing. {@code language}: "pt", "en" or null to guess. */
    @Transactional
    public KnowledgeDocument upload(UUID baseId, String filename, String contentType, byte[] bytes, String language) {
        find(baseId);
        checkUpload(filename, contentType, bytes);
        String configuration = language == null || language.isBlank() ? null : DocumentLanguage.of(language, "");
        UUID id = jdbc.sql("""
                insert into knowledge_documents (organization_id, knowledge_base_id, kind, title, filename, content_type, original, language)
                values (?, ?, 'file', ?, ?, ?, ?, coalesce(?, 'portuguese')) returning id""")
                .params(TenantScope.requireOrganization(), baseId, filename.replaceFirst("\\.[A-Za-z0-9]+$", ""), filename, contentType,
                        bytes, configuration)
                .query(UUID.class).single();
        indexing.schedule(id, 1, configuration == null);
        return document(id);
    }

    /** A new version of a document: its chunks are replaced, in one transaction, once the new version is indexed. */
    @Transactional
    public KnowledgeDocument replace(UUID documentId, String filename, String contentType, byte[] bytes) {
        KnowledgeDocument existing = document(documentId);
        if (existing.kind() != KnowledgeDocument.Kind.FILE) {
            throw new InvalidInput("only uploaded files can be replaced by a new file");
        }
        checkUpload(filename, contentType, bytes);
        int version = jdbc.sql("""
                update knowledge_documents set filename = ?, content_type = ?, original = ?, status = 'pending', error = null,
                       chunks_done = 0, chunks_total = 0, version = version + 1, updated_at = now()
                where id = ? returning version""")
                .params(filename, contentType, bytes, documentId).query(Integer.class).single();
        indexing.schedule(documentId, version, false);
        return document(documentId);
    }

    /** Imports a web page (fetched and parsed by the indexing job). */
    @Transactional
    public KnowledgeDocument importUrl(UUID baseId, String url, String language) {
        find(baseId);
        URI uri;
        try {
            uri = URI.create(required(url, "url", 2000));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("url is not a valid address: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new InvalidInput("url must be an http(s) address, e.g. https://example.com/policies");
        }
        guard.requireAllowed("url", uri.toString()); // refused at once, not only when the job fetches it
        String configuration = language == null || language.isBlank() ? null : DocumentLanguage.of(language, "");
        UUID id = jdbc.sql("""
                insert into knowledge_documents (organization_id, knowledge_base_id, kind, title, source_url, language)
                values (?, ?, 'url', ?, ?, coalesce(?, 'portuguese')) returning id""")
                .params(TenantScope.requireOrganization(), baseId, uri.getHost() + uri.getPath(), uri.toString(), configuration)
                .query(UUID.class).single();
        indexing.schedule(id, 1, configuration == null);
        return document(id);
    }

    /** A curated question and its answer: searched before documents. */
    @Transactional
    public KnowledgeDocument addQa(UUID baseId, String question, String answer, String language) {
        find(baseId);
        String q = required(question, "question", 1000);
        String a = required(answer, "answer", 5000);
        String configuration = DocumentLanguage.of(language, q + " " + a);
        UUID id = jdbc.sql("""
                insert into knowledge_documents (organization_id, knowledge_base_id, kind, title, original, language)
                values (?, ?, 'qa', ?, ?, ?) returning id""")
                .params(TenantScope.requireOrganization(), baseId, q, a.getBytes(java.nio.charset.StandardCharsets.UTF_8), configuration)
                .query(UUID.class).single();
        indexing.schedule(id, 1, false);
        return document(id);
    }

    @Transactional(readOnly = true)
    public List<KnowledgeDocument> documents(UUID baseId) {
        find(baseId);
        return jdbc.sql(DOCUMENT_SELECT + " where knowledge_base_id = ? order by created_at desc, id").param(baseId)
                .query(KnowledgeBases::document).list();
    }

    @Transactional(readOnly = true)
    public KnowledgeDocument document(UUID documentId) {
        return jdbc.sql(DOCUMENT_SELECT + " where id = ?").param(documentId).query(KnowledgeBases::document).optional()
                .orElseThrow(() -> new NotFound("knowledge document " + documentId + " not found"));
    }

    /** Deletes a document and its chunks; an indexing job still running for it ends without writing. */
    @Transactional
    public void deleteDocument(UUID documentId) {
        document(documentId);
        jdbc.sql("delete from knowledge_documents where id = ?").param(documentId).update();
        vectors.changed(TenantScope.requireOrganization());
    }

    /** The file a person uploaded, as uploaded: what {@code enviar_documento} sends a customer. */
    public record Original(String filename, String contentType, byte[] bytes) {
    }

    /**
     * The uploaded file of a ready document, when it is one (an imported page or a Q&amp;A pair has none, and a
     * document indexed before originals were kept has none until it is uploaded again).
     */
    @Transactional(readOnly = true)
    public Optional<Original> original(UUID documentId) {
        return jdbc.sql("""
                        select coalesce(filename, title), content_type, original from knowledge_documents
                        where id = ? and kind = 'file' and status = 'ready' and original is not null""")
                .param(documentId)
                .query((rs, n) -> new Original(rs.getString(1), rs.getString(2), rs.getBytes(3))).optional();
    }

    /** A document's indexed text, section by section (what {@code extrair_informacao_documento} reads). */
    @Transactional(readOnly = true)
    public List<Passage> chunks(UUID documentId) {
        KnowledgeDocument document = document(documentId);
        return jdbc.sql("select id, section, content from knowledge_chunks where document_id = ? order by position")
                .param(documentId)
                .query((rs, n) -> new Passage(rs.getObject(1, UUID.class), documentId, document.title(), rs.getString(2),
                        rs.getString(3), document.kind() == KnowledgeDocument.Kind.QA, document.language(), 0, 0, 0, 0))
                .list();
    }

    private static void checkUpload(String filename, String contentType, byte[] bytes) {
        if (filename == null || filename.isBlank()) {
            throw new InvalidInput("the upload has no file name");
        }
        if (bytes == null || bytes.length == 0) {
            throw new InvalidInput("the file '" + filename + "' is empty");
        }
        if (bytes.length > MAX_UPLOAD_BYTES) {
            throw new InvalidInput("the file '" + filename + "' is larger than " + MAX_UPLOAD_BYTES / (1024 * 1024) + " MB");
        }
        DocumentParser.Format.of(filename, contentType);
    }

    private static String required(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidInput(field + " is required");
        }
        if (value.length() > max) {
            throw new InvalidInput(field + " is longer than " + max + " characters");
        }
        return value.strip();
    }

    private static final String BASE_SELECT = """
            select b.id, b.name, b.description, (select count(*) from knowledge_documents d where d.knowledge_base_id = b.id)::int,
                   b.created_at from knowledge_bases b""";

    private static final String DOCUMENT_SELECT = """
            select id, knowledge_base_id, kind, title, filename, source_url, language, status, error, chunks_done, chunks_total,
                   updated_at, kind = 'file' and status = 'ready' and original is not null as sendable from knowledge_documents""";

    private static KnowledgeBase base(ResultSet rs, int n) throws SQLException {
        return new KnowledgeBase(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4),
                rs.getTimestamp(5).toInstant());
    }

    private static KnowledgeDocument document(ResultSet rs, int n) throws SQLException {
        return new KnowledgeDocument(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), KnowledgeDocument.Kind.of(rs.getString(3)),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), KnowledgeDocument.Status.of(rs.getString(8)),
                rs.getString(9), rs.getInt(10), rs.getInt(11), rs.getTimestamp(12).toInstant(), rs.getBoolean(13));
    }
}
