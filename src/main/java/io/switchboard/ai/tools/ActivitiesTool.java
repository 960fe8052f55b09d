package io.switchboard.ai.tools;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code buscar_atividades}: the tasks (calls, visits, follow-ups) the team has for the customer of this
 * conversation, open ones first. Fixed read-only SQL scoped to the contact and organization.
 */
@Component
class ActivitiesTool implements ToolHandler {

    private static final int LIMIT = 10;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ActivitiesTool(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public String slug() {
        return "buscar_atividades";
    }

    @Override
    public String description() {
        return "Lista as atividades (tarefas, ligações, visitas) da equipe com o cliente desta conversa, as em aberto primeiro.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "situacao": {"type": "string", "enum": ["abertas", "concluidas", "todas"], "description": "Padrão: abertas"}
                 },
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        if (context.contactId() == null) {
            return ToolResult.failed("esta conversa não tem um cliente identificado");
        }
        String filter = switch (arguments.path("situacao").asString("abertas")) {
            case "concluidas" -> " and done_at is not null";
            case "todas" -> "";
            default -> " and done_at is null";
        };
        ObjectNode content = json.createObjectNode();
        ArrayNode activities = content.putArray("atividades");
        jdbc.sql("select type, title, description, due_at, done_at from activities where organization_id = ? and contact_id = ?"
                        + filter + " order by done_at is not null, due_at nulls last, created_at desc limit " + LIMIT)
                .params(context.organizationId(), context.contactId())
                .query(rs -> {
                    activities.addObject().put("tipo", rs.getString("type")).put("titulo", rs.getString("title"))
                            .put("descricao", rs.getString("description"))
                            .put("vence_em", rs.getTimestamp("due_at") == null ? null : rs.getTimestamp("due_at").toInstant().toString())
                            .put("concluida", rs.getTimestamp("done_at") != null);
                });
        return ToolResult.ok(content.toString());
    }
}
