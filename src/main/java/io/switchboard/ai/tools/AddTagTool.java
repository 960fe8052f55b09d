package io.switchboard.ai.tools;

import io.switchboard.conversation.Conversations;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code adicionar_tag}: labels the conversation (interest, subject, lead temperature) for the team. */
@Component
class AddTagTool implements ToolHandler {

    private final Conversations conversations;
    private final JsonMapper json;

    AddTagTool(Conversations conversations, JsonMapper json) {
        this.conversations = conversations;
        this.json = json;
    }

    @Override
    public String slug() {
        return "adicionar_tag";
    }

    @Override
    public String description() {
        return "Adiciona uma tag à conversa para classificar o assunto ou o interesse do cliente "
                + "(ex.: 'orcamento', 'reclamacao', 'lead-quente').";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "tag": {"type": "string", "minLength": 1, "maxLength": 50, "description": "Nome da tag"}
                 },
                 "required": ["tag"],
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        String tag = arguments.get("tag").asString().trim();
        if (tag.isEmpty()) {
            return ToolResult.failed("a tag não pode ser vazia");
        }
        conversations.addTag(context.conversationId(), tag);
        ObjectNode content = json.createObjectNode();
        content.put("tag_adicionada", tag);
        content.set("tags_da_conversa", json.valueToTree(conversations.tags(context.conversationId())));
        return ToolResult.ok(content.toString());
    }
}
