package io.switchboard.ai.tools;

import io.switchboard.ai.TeamActivities;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code criar_atividade}: leaves a task for the team (call back, send a quote) on the contact, linked to the
 * conversation and the AI agent that created it, through the module that owns activities ({@link TeamActivities}).
 */
@Component
class CreateActivityTool implements ToolHandler {

    /** The model speaks Portuguese. */
    static final Map<String, TeamActivities.Kind> KINDS = Map.of("tarefa", TeamActivities.Kind.TASK,
            "ligacao", TeamActivities.Kind.CALL, "reuniao", TeamActivities.Kind.MEETING, "email", TeamActivities.Kind.EMAIL,
            "lembrete", TeamActivities.Kind.REMINDER);

    private final TeamActivities activities;
    private final JsonMapper json;
    private final Clock clock;

    CreateActivityTool(TeamActivities activities, JsonMapper json, Clock clock) {
        this.activities = activities;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String slug() {
        return "criar_atividade";
    }

    @Override
    public String description() {
        return "Cria uma atividade para a equipe sobre este cliente (ex.: ligar de volta, enviar orçamento), "
                + "com prazo opcional em horas a partir de agora.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "titulo": {"type": "string", "minLength": 1, "maxLength": 200, "description": "O que deve ser feito"},
                   "descricao": {"type": "string", "maxLength": 2000, "description": "Detalhes para quem vai executar"},
                   "tipo": {"type": "string", "enum": ["tarefa", "ligacao", "reuniao", "email", "lembrete"],
                            "description": "Tipo da atividade (padrão: tarefa)"},
                   "vencimento_em_horas": {"type": "number", "minimum": 0, "maximum": 8760,
                                           "description": "Prazo em horas a partir de agora"}
                 },
                 "required": ["titulo"],
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        String title = arguments.get("titulo").asString().trim();
        if (title.isEmpty()) {
            return ToolResult.failed("informe o título da atividade");
        }
        String description = arguments.path("descricao").isString() ? arguments.get("descricao").asString().trim() : null;
        String kind = arguments.path("tipo").asString("tarefa");
        Instant due = arguments.path("vencimento_em_horas").isNumber()
                ? clock.instant().plus(Duration.ofSeconds(Math.round(arguments.get("vencimento_em_horas").doubleValue() * 3600)))
                : null;
        UUID id = activities.createByAiAgent(context.contactId(), context.conversationId(), context.aiAgentId(),
                KINDS.getOrDefault(kind, TeamActivities.Kind.TASK), title,
                description == null || description.isEmpty() ? null : description, due);
        ObjectNode content = json.createObjectNode();
        content.put("atividade_criada", id.toString());
        content.put("titulo", title);
        content.put("tipo", kind);
        if (due != null) {
            content.put("vencimento", due.toString());
        }
        return ToolResult.ok(content.toString());
    }
}
