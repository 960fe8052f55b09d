package io.switchboard.ai.tools;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code criar_atividade}: leaves a task for the team (call back, send a quote) on the contact, linked to the
 * conversation and the AI agent that created it. Written here with SQL because the activities table has no
 * owning module yet; row-level security keeps it inside the tenant.
 */
@Component
class CreateActivityTool implements ToolHandler {

    /** The model speaks Portuguese; the table stores the type in English like the rest of the schema. */
    static final Map<String, String> TYPES = Map.of(
            "tarefa", "task", "ligacao", "call", "reuniao", "meeting", "email", "email", "lembrete", "reminder");

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    CreateActivityTool(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
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
        UUID id = jdbc.sql("""
                        insert into activities (organization_id, contact_id, conversation_id, ai_agent_id, type, title,
                                                description, due_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?) returning id""")
                .params(context.organizationId(), context.contactId(), context.conversationId(), context.aiAgentId(),
                        TYPES.get(kind), title, description == null || description.isEmpty() ? null : description,
                        due == null ? null : Timestamp.from(due))
                .query(UUID.class).single();
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
