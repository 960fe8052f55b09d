package io.switchboard.ai.tools;

import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code mover_para_etapa}: moves the conversation along the sales funnel as the lead progresses. */
@Component
class MoveToStageTool implements ToolHandler {

    private final Conversations conversations;
    private final JdbcClient jdbc;
    private final JsonMapper json;

    MoveToStageTool(Conversations conversations, JdbcClient jdbc, JsonMapper json) {
        this.conversations = conversations;
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public String slug() {
        return "mover_para_etapa";
    }

    @Override
    public String description() {
        return "Move a conversa para outra etapa do funil (pelo nome da etapa, ex.: 'Qualificado', ou pelo id). "
                + "Se a etapa não existir, a resposta lista as etapas disponíveis.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "etapa": {"type": "string", "minLength": 1, "maxLength": 200, "description": "Nome ou id da etapa"}
                 },
                 "required": ["etapa"],
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        String wanted = arguments.get("etapa").asString().trim();
        Optional<String> moved = wanted.isEmpty() ? Optional.empty() : conversations.moveToStage(context.conversationId(), wanted);
        if (moved.isEmpty()) {
            List<String> available = availableStages(conversations.find(context.conversationId()));
            return ToolResult.failed(available.isEmpty()
                    ? "etapa '" + wanted + "' não encontrada: a organização não tem etapas de funil configuradas"
                    : "etapa '" + wanted + "' não encontrada; etapas disponíveis: " + String.join(", ", available));
        }
        ObjectNode content = json.createObjectNode();
        content.put("etapa_atual", moved.get());
        return ToolResult.ok(content.toString());
    }

    /** The stages of the conversation's funnel first (the ones that make sense), then the others. */
    private List<String> availableStages(Conversation conversation) {
        return jdbc.sql("""
                        select s.name from funnel_stages s join funnels f on f.id = s.funnel_id
                        order by (s.funnel_id is not distinct from ?) desc, f.is_default desc, f.created_at, s.position
                        limit 30""")
                .param(conversation.funnelId()).query(String.class).list().stream().distinct().toList();
    }
}
