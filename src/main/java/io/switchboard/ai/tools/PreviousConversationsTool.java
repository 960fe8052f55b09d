package io.switchboard.ai.tools;

import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Inbox;
import io.switchboard.conversation.Message;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code buscar_conversas_anteriores}: what the contact talked about before, so the AI does not ask again. */
@Component
class PreviousConversationsTool implements ToolHandler {

    static final int DEFAULT_LIMIT = 3;
    /** Enough to recall the gist of each conversation without flooding the context. */
    static final int MESSAGES_PER_CONVERSATION = 5;
    static final int MAX_MESSAGE_CHARS = 300;

    private final Inbox inbox;
    private final JsonMapper json;

    PreviousConversationsTool(Inbox inbox, JsonMapper json) {
        this.inbox = inbox;
        this.json = json;
    }

    @Override
    public String slug() {
        return "buscar_conversas_anteriores";
    }

    @Override
    public String description() {
        return "Busca as conversas anteriores deste contato (data, status e últimas mensagens), para retomar o "
                + "contexto sem perguntar de novo o que o cliente já informou.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "limite": {"type": "integer", "minimum": 1, "maximum": 10,
                              "description": "Quantas conversas anteriores trazer, das mais recentes (padrão 3)"}
                 },
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        int limit = arguments.path("limite").isNumber() ? arguments.get("limite").asInt() : DEFAULT_LIMIT;
        List<Conversation> previous = inbox.previousConversations(context.contactId(), context.conversationId(), limit);
        ObjectNode result = json.createObjectNode();
        ArrayNode conversations = result.putArray("conversas");
        for (Conversation conversation : previous) {
            ObjectNode item = conversations.addObject();
            item.put("data", conversation.createdAt().toString());
            item.put("status", conversation.status().db());
            item.put("canal", conversation.channelType());
            ArrayNode messages = item.putArray("ultimas_mensagens");
            for (Message message : inbox.recentHistory(conversation.id(), MESSAGES_PER_CONVERSATION)) {
                ObjectNode line = messages.addObject();
                line.put("de", switch (message.senderType()) {
                    case CONTACT -> "cliente";
                    case AGENT -> "atendente";
                    case AI_AGENT -> "assistente";
                    case SYSTEM -> "sistema";
                });
                line.put("texto", shortened(message.content()));
                line.put("em", message.createdAt().toString());
            }
        }
        result.put("total", previous.size());
        if (previous.isEmpty()) {
            result.put("observacao", "Este contato não tem conversas anteriores.");
        }
        return ToolResult.ok(result.toString());
    }

    private static String shortened(String content) {
        if (content == null) {
            return "";
        }
        return content.length() <= MAX_MESSAGE_CHARS ? content : content.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
    }
}
