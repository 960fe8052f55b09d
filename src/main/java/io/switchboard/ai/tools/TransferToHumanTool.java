package io.switchboard.ai.tools;

import io.switchboard.database.RecordRows;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code transferir_para_agente}: the AI asks to hand the conversation to a person. The tool only decides
 * and explains; the turn performs the handoff after the reply, so the customer hears the transition first.
 */
@Component
class TransferToHumanTool implements ToolHandler {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    TransferToHumanTool(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public String slug() {
        return "transferir_para_agente";
    }

    @Override
    public String description() {
        return "Transfere a conversa para um atendente humano. Use quando o cliente pedir uma pessoa, quando você "
                + "não puder resolver o pedido ou quando o assunto exigir um humano. Informe o motivo.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "motivo": {"type": "string", "minLength": 1, "maxLength": 500,
                              "description": "Por que a conversa precisa de um humano"},
                   "agente": {"type": "string", "minLength": 1,
                              "description": "Opcional: e-mail ou id do atendente que deve assumir; sem ele, vai para a fila"}
                 },
                 "required": ["motivo"],
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        String reason = arguments.get("motivo").asString().trim();
        if (reason.isEmpty()) {
            return ToolResult.failed("informe o motivo da transferência");
        }
        ObjectNode content = json.createObjectNode();
        content.put("transferencia", "solicitada");
        content.put("motivo", reason);
        String wanted = arguments.path("agente").asString("").trim();
        if (wanted.isEmpty()) {
            content.put("destino", "fila de atendimento humano");
            content.put("instrucao", "Avise o cliente que um atendente vai continuar a conversa em breve.");
            return ToolResult.escalate(content.toString(), reason);
        }
        Optional<Person> person = activeUser(wanted);
        if (person.isEmpty()) {
            return ToolResult.failed("atendente '" + wanted + "' não encontrado ou inativo; chame a ferramenta de novo "
                    + "sem 'agente' para transferir para a fila");
        }
        content.put("destino", person.get().name());
        content.put("instrucao", "Avise o cliente que " + person.get().name() + " vai continuar a conversa.");
        return ToolResult.escalateTo(content.toString(), reason, person.get().id());
    }

    record Person(UUID id, String name) {
    }

    /** Users of the organization only: row-level security scopes this query to the tenant. */
    private Optional<Person> activeUser(String emailOrId) {
        return jdbc.sql("select id, name from users where active and (id::text = ? or lower(email) = lower(?)) limit 1")
                .params(emailOrId, emailOrId).query(RecordRows.of(Person.class)).optional();
    }
}
