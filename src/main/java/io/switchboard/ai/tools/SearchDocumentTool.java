package io.switchboard.ai.tools;

import io.switchboard.knowledge.KnowledgeSearch;
import io.switchboard.knowledge.Passage;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code buscar_documento}: searches the agent's knowledge bases (hybrid retrieval) and returns cited passages. */
@Component
class SearchDocumentTool implements ToolHandler {

    static final int DEFAULT_LIMIT = 4;

    private final KnowledgeSearch knowledge;
    private final JsonMapper json;

    SearchDocumentTool(KnowledgeSearch knowledge, JsonMapper json) {
        this.knowledge = knowledge;
        this.json = json;
    }

    @Override
    public String slug() {
        return "buscar_documento";
    }

    @Override
    public String description() {
        return "Busca na base de conhecimento da empresa (políticas, catálogo, manuais) os trechos que respondem a uma "
                + "pergunta. Devolve trechos com o documento e a seção de origem, para citar na resposta.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "consulta": {"type": "string", "minLength": 2, "maxLength": 500,
                                "description": "O que procurar, de preferência com as palavras do cliente"},
                   "limite": {"type": "integer", "minimum": 1, "maximum": 8, "description": "Quantos trechos trazer (padrão 4)"}
                 },
                 "required": ["consulta"],
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        int limit = arguments.path("limite").isNumber() ? arguments.get("limite").asInt() : DEFAULT_LIMIT;
        var found = knowledge.forAgent(context.aiAgentId(), arguments.get("consulta").asString(), limit);
        ObjectNode result = json.createObjectNode();
        ArrayNode passages = result.putArray("trechos");
        for (Passage passage : found.passages()) {
            ObjectNode item = passages.addObject();
            item.put("documento_id", passage.documentId().toString());
            item.put("fonte", passage.source());
            item.put("texto", passage.content());
        }
        if (!found.hasKnowledge()) {
            result.put("observacao", "Este agente não tem base de conhecimento.");
        } else if (!found.found()) {
            result.put("observacao", "Nada relevante na base de conhecimento: não invente; ofereça um atendente se preciso.");
        }
        return ToolResult.ok(result.toString());
    }
}
