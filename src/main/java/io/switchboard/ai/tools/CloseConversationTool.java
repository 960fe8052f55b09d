package io.switchboard.ai.tools;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code encerrar_conversa}: the AI decides the conversation is done. Closing happens after the reply is
 * stored (by the turn), so the goodbye still reaches the customer.
 */
@Component
class CloseConversationTool implements ToolHandler {

    private final JsonMapper json;

    CloseConversationTool(JsonMapper json) {
        this.json = json;
    }

    @Override
    public String slug() {
        return "encerrar_conversa";
    }

    @Override
    public String description() {
        return "Encerra a conversa depois da sua resposta. Use só quando o cliente confirmar que não precisa de mais "
                + "nada ou se despedir. Informe o motivo.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "motivo": {"type": "string", "minLength": 1, "maxLength": 500,
                              "description": "Por que a conversa pode ser encerrada (ex.: dúvida resolvida)"}
                 },
                 "required": ["motivo"],
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        String reason = arguments.get("motivo").asString().trim();
        if (reason.isEmpty()) {
            return ToolResult.failed("informe o motivo do encerramento");
        }
        ObjectNode content = json.createObjectNode();
        content.put("encerramento", "agendado para depois da sua resposta");
        content.put("motivo", reason);
        content.put("instrucao", "Despeça-se do cliente na sua resposta.");
        return ToolResult.closeAfterReply(content.toString(), reason);
    }
}
