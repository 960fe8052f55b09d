package io.switchboard.ai.tools;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code consultar_dados_cliente}: what Switchboard knows about the customer of this conversation — and only
 * them: contact data, tags, how many conversations they had and open tasks. Fixed, read-only queries scoped to
 * the conversation's contact and organization; the model chooses nothing but to call it.
 */
@Component
class CustomerDataTool implements ToolHandler {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    CustomerDataTool(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public String slug() {
        return "consultar_dados_cliente";
    }

    @Override
    public String description() {
        return "Consulta os dados do cliente desta conversa no cadastro: nome, e-mail, telefone, tags, atributos, "
                + "quantas conversas já teve e tarefas em aberto.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object", "properties": {}, "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        if (context.contactId() == null) {
            return ToolResult.failed("esta conversa não tem um cliente identificado");
        }
        return jdbc.sql("""
                        select c.name, c.email, c.phone, c.custom_attributes::text as attributes, c.created_at,
                               (select count(*) from conversations v where v.contact_id = c.id and v.organization_id = c.organization_id) as conversations,
                               (select max(v.created_at) from conversations v where v.contact_id = c.id and v.organization_id = c.organization_id) as last_conversation,
                               (select count(*) from activities a where a.contact_id = c.id and a.organization_id = c.organization_id and a.done_at is null) as open_tasks,
                               (select coalesce(string_agg(t.name, ', ' order by t.name), '') from contact_tags ct join tags t on t.id = ct.tag_id
                                 where ct.contact_id = c.id) as tags
                        from contacts c where c.id = ? and c.organization_id = ?""")
                .params(context.contactId(), context.organizationId())
                .query((rs, n) -> {
                    ObjectNode content = json.createObjectNode();
                    content.put("nome", rs.getString("name"));
                    content.put("email", rs.getString("email"));
                    content.put("telefone", rs.getString("phone"));
                    content.set("atributos", json.readTree(rs.getString("attributes")));
                    content.put("tags", rs.getString("tags"));
                    content.put("cliente_desde", rs.getTimestamp("created_at").toInstant().toString());
                    content.put("conversas", rs.getLong("conversations"));
                    content.put("ultima_conversa", rs.getTimestamp("last_conversation") == null ? null
                            : rs.getTimestamp("last_conversation").toInstant().toString());
                    content.put("tarefas_em_aberto", rs.getLong("open_tasks"));
                    return ToolResult.ok(content.toString());
                })
                .optional().orElseGet(() -> ToolResult.failed("o cliente desta conversa não foi encontrado"));
    }
}
