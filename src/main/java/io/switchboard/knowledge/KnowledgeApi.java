package io.switchboard.knowledge;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.switchboard.refusal.InvalidInput;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Knowledge bases over the API (ADMIN): bases, their documents (multipart upload, URL import, Q&amp;A pairs) with
 * indexing status and progress, which agents answer from them, and a search to try retrieval out.
 */
@RestController
@RequestMapping("/api/v1/knowledge_bases")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "Knowledge bases")
class KnowledgeApi {

    private final KnowledgeBases bases;
    private final KnowledgeSearch search;

    KnowledgeApi(KnowledgeBases bases, KnowledgeSearch search) {
        this.bases = bases;
        this.search = search;
    }

    record Page<T>(List<T> items, String nextCursor) {

        static <T> Page<T> of(List<T> all, Integer limit, String cursor) {
            int from;
            try {
                from = cursor == null || cursor.isBlank() ? 0 : Integer.parseInt(cursor);
            } catch (NumberFormatException e) {
                throw new InvalidInput("cursor '" + cursor + "' is not one this API returned: pass next_cursor back as cursor");
            }
            int size = limit == null ? 50 : limit;
            if (size < 1 || size > 200 || from < 0) {
                throw new InvalidInput("limit must be between 1 and 200");
            }
            int to = Math.min(all.size(), from + size);
            return new Page<>(from >= all.size() ? List.of() : all.subList(from, to), to < all.size() ? String.valueOf(to) : null);
        }
    }

    record BaseRequest(String name, String description) {
    }

    record AgentRequest(UUID aiAgentId, Boolean handoffWhenMissing) {
    }

    record UrlRequest(String url, String language) {
    }

    record QaRequest(String question, String answer, String language) {
    }

    record SearchRequest(String query, Integer limit, String mode) {
    }

    record PassageView(UUID documentId, String source, String section, String content, double cosine, double coverage) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a knowledge base")
    KnowledgeBase create(@RequestBody BaseRequest body) {
        return bases.create(body.name(), body.description());
    }

    @GetMapping
    @Operation(summary = "List knowledge bases")
    Page<KnowledgeBase> list(@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        return Page.of(bases.list(), limit, cursor);
    }

    @GetMapping("/{id}")
    KnowledgeBase get(@PathVariable UUID id) {
        return bases.find(id);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a knowledge base with its documents and chunks")
    void delete(@PathVariable UUID id) {
        bases.delete(id);
    }

    @PostMapping("/{id}/agents")
    @Operation(summary = "Let an AI agent answer from this base (handoff_when_missing: hand over with reason missing_knowledge when nothing relevant is found)")
    List<KnowledgeBases.Assignment> assign(@PathVariable UUID id, @RequestBody AgentRequest body) {
        if (body.aiAgentId() == null) {
            throw new InvalidInput("ai_agent_id is required");
        }
        bases.assign(id, body.aiAgentId(), Boolean.TRUE.equals(body.handoffWhenMissing()));
        return bases.assignments(id);
    }

    @DeleteMapping("/{id}/agents/{aiAgentId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unassign(@PathVariable UUID id, @PathVariable UUID aiAgentId) {
        bases.unassign(id, aiAgentId);
    }

    @GetMapping("/{id}/documents")
    @Operation(summary = "Documents of a base with their indexing status and progress (chunks_done / chunks_total)")
    Page<KnowledgeDocument> documents(@PathVariable UUID id, @RequestParam(required = false) Integer limit,
                                      @RequestParam(required = false) String cursor) {
        return Page.of(bases.documents(id), limit, cursor);
    }

    @PostMapping(path = "/{id}/documents", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Upload a PDF, DOCX, HTML, Markdown or text file; it is indexed by a background job")
    KnowledgeDocument upload(@PathVariable UUID id, @RequestParam("file") MultipartFile file,
                             @RequestParam(required = false) String language) throws IOException {
        return bases.upload(id, file.getOriginalFilename(), file.getContentType(), file.getBytes(), language);
    }

    @PutMapping(path = "/{id}/documents/{documentId}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Replace a document by a new version; its chunks are swapped atomically once indexed")
    KnowledgeDocument replace(@PathVariable UUID id, @PathVariable UUID documentId, @RequestParam("file") MultipartFile file)
            throws IOException {
        return bases.replace(documentId, file.getOriginalFilename(), file.getContentType(), file.getBytes());
    }

    @PostMapping("/{id}/urls")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Import a web page")
    KnowledgeDocument importUrl(@PathVariable UUID id, @RequestBody UrlRequest body) {
        return bases.importUrl(id, body.url(), body.language());
    }

    @PostMapping("/{id}/qa_pairs")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Add a curated question and answer (searched before documents)")
    KnowledgeDocument addQa(@PathVariable UUID id, @RequestBody QaRequest body) {
        return bases.addQa(id, body.question(), body.answer(), body.language());
    }

    @GetMapping("/{id}/documents/{documentId}")
    KnowledgeDocument document(@PathVariable UUID id, @PathVariable UUID documentId) {
        return bases.document(documentId);
    }

    @DeleteMapping("/{id}/documents/{documentId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteDocument(@PathVariable UUID id, @PathVariable UUID documentId) {
        bases.deleteDocument(documentId);
    }

    @PostMapping("/{id}/search")
    @Operation(summary = "Try retrieval: the relevant passages for a question (mode hybrid, vectors or full_text)")
    List<PassageView> search(@PathVariable UUID id, @RequestBody SearchRequest body) {
        bases.find(id);
        if (body.query() == null || body.query().isBlank()) {
            throw new InvalidInput("query is required");
        }
        KnowledgeSearch.Mode mode;
        try {
            mode = body.mode() == null ? KnowledgeSearch.Mode.HYBRID : KnowledgeSearch.Mode.valueOf(body.mode().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("mode must be hybrid, vectors or full_text");
        }
        int limit = body.limit() == null ? 5 : Math.max(1, Math.min(20, body.limit()));
        return search.search(List.of(id), body.query(), limit, mode).stream()
                .map(p -> new PassageView(p.documentId(), p.source(), p.section(), p.content(), p.cosine(), p.coverage())).toList();
    }
}
