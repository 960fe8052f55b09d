package io.switchboard.ai.tools;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code obter_estatisticas_conversas}: the organization's conversation counts over the last days — by status and
 * how many the AI handed to a person. Aggregates only, never another customer's data; fixed read-only SQL.
 */
@Component
class ConversationStatisticsTool implements ToolHandler {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ConversationStatisticsTool(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public String slug() {
        return "obter_estatisticas_conversas";
    }

    @Override
    public String description() {
        return "Estatísticas agregadas das conversas da empresa nos últimos dias: total, por status e quantas foram "
                + "transferidas para atendentes. Não mostra dados de clientes.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "dias": {"type": "integer", "minimum": 1, "maximum": 90, "description": "Período em dias (padrão 7)"}
                 },
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        int days = arguments.path("dias").asInt(7);
        ObjectNode content = json.createObjectNode();
        content.put("dias", days);
        ObjectNode byStatus = content.putObject("por_status");
        long[] total = {0};
        jdbc.sql("""
                        select status, count(*) as n from conversations
                        where organization_id = ? and created_at > now() - make_interval(days => ?)
                        group by status order by status""")
                .params(context.organizationId(), days)
                .query(rs -> {
                    byStatus.put(rs.getString("status"), rs.getLong("n"));
                    total[0] += rs.getLong("n");
                });
        content.put("total", total[0]);
        content.put("transferidas_para_atendente", jdbc.sql("""
                        select count(distinct conversation_id) from conversation_events
                        where organization_id = ? and created_at > now() - make_interval(days => ?) and type in ('handed_off', 'ai_failed')""")
                .params(context.organizationId(), days).query(Long.class).single());
        return ToolResult.ok(content.toString());
    }
}
