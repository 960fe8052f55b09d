package io.switchboard.ai.tools;

import io.switchboard.knowledge.KnowledgeBases;
import io.switchboard.knowledge.KnowledgeSearch;
import io.switchboard.knowledge.Passage;
import io.switchboard.refusal.NotFound;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code extrair_informacao_documento}: reads one document of the agent's knowledge bases — the sections relevant to
 * what the model wants to extract, or from the start when nothing matches — bounded so the context stays small.
 */
@Component
class ReadDocumentTool implements ToolHandler {

    static final int MAX_CHARS = 6000;

    private final KnowledgeBases bases;
    private final KnowledgeSearch knowledge;
    private final JsonMapper json;

    ReadDocumentTool(KnowledgeBases bases, KnowledgeSearch knowledge, JsonMapper json) {
        this.bases = bases;
        this.knowledge = knowledge;
        this.json = json;
    }

    @Override
    public String slug() {
        return "extrair_informacao_documento";
    }

    @Override
    public String description() {
        return "Lê um documento da base de conhecimento (pelo documento_id devolvido por buscar_documento) para extrair "
                + "uma informação específica, como um valor, prazo ou condição.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "documento_id": {"type": "string", "minLength": 36, "maxLength": 36, "description": "Id do documento"},
                   "informacao": {"type": "string", "minLength": 2, "maxLength": 300,
                                  "description": "Que informação extrair do documento"}
                 },
                 "required": ["documento_id", "informacao"],
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        UUID documentId;
        try {
            documentId = UUID.fromString(arguments.get("documento_id").asString());
        } catch (IllegalArgumentException e) {
            return ToolResult.failed("documento_id inválido: use o documento_id devolvido por buscar_documento");
        }
        List<Passage> chunks;
        try {
            chunks = bases.chunks(documentId);
        } catch (NotFound e) {
            return ToolResult.failed("documento não encontrado: use o documento_id devolvido por buscar_documento");
        }
        if (!knowledge.servesAgent(documentId, context.aiAgentId())) {
            return ToolResult.failed("este documento não pertence às bases de conhecimento deste agente");
        }
        String wanted = arguments.get("informacao").asString();
        var relevant = knowledge.forAgent(context.aiAgentId(), wanted, 8).passages().stream()
                .filter(p -> documentId.equals(p.documentId())).map(Passage::chunkId).toList();
        ObjectNode result = json.createObjectNode();
        result.put("documento", chunks.isEmpty() ? "" : chunks.get(0).documentTitle());
        ArrayNode sections = result.putArray("secoes");
        int used = 0;
        // relevant sections first, then the document in order, until the budget is spent
        List<Passage> ordered = new java.util.ArrayList<>(chunks.stream().filter(c -> relevant.contains(c.chunkId())).toList());
        chunks.stream().filter(c -> !relevant.contains(c.chunkId())).forEach(ordered::add);
        for (Passage chunk : ordered) {
            if (used + chunk.content().length() > MAX_CHARS && used > 0) {
                result.put("observacao", "documento resumido: só as seções mais relevantes cabem aqui");
                break;
            }
            ObjectNode item = sections.addObject();
            item.put("secao", chunk.section());
            item.put("texto", chunk.content());
            used += chunk.content().length();
        }
        return ToolResult.ok(result.toString());
    }
}
