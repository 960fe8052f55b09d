package io.switchboard.ai.tools;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.integration.ExternalDatabase;
import io.switchboard.integration.ExternalHttp;
import io.switchboard.integration.HttpAnswer;
import io.switchboard.integration.HttpCall;
import io.switchboard.integration.IntegrationCallFailed;
import io.switchboard.integration.McpServers;
import io.switchboard.integration.N8nWebhooks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs an admin-defined tool through its integration. What goes back to the model is trimmed — only the
 * configured response fields (JSON pointers) and at most {@value #MAX_RESULT_CHARS} characters — and any failure
 * (HTTP error, timeout, refused address, SQL error) is a failed result that counts toward the escalation after N
 * failed tool calls.
 */
@Component
class AdminDefinedToolRunner {

    static final int MAX_RESULT_CHARS = 4000;

    private final ExternalHttp http;
    private final N8nWebhooks n8n;
    private final ExternalDatabase databases;
    private final McpServers mcp;
    private final Contacts contacts;
    private final JsonMapper json;

    AdminDefinedToolRunner(ExternalHttp http, N8nWebhooks n8n, ExternalDatabase databases, McpServers mcp, Contacts contacts,
                           JsonMapper json) {
        this.http = http;
        this.n8n = n8n;
        this.databases = databases;
        this.mcp = mcp;
        this.contacts = contacts;
        this.json = json;
    }

    /**
     * @param sampleContact the contact to use instead of the conversation's (an administrator trying the tool), or null
     */
    ToolResult run(AdminDefinedTool tool, ToolContext context, JsonNode arguments, Map<String, String> sampleContact) {
        Map<String, String> contact = sampleContact != null ? sampleContact : contactOf(context);
        if (tool.config().path("requires_contact").asBoolean(false)
                && contact.getOrDefault("email", "").isBlank() && contact.getOrDefault("phone", "").isBlank()) {
            return ToolResult.failed("esta ferramenta precisa do e-mail ou telefone do cliente; peça ao cliente antes de usá-la");
        }
        try {
            String content = switch (tool.type()) {
                case HTTP -> selected(tool, http.call(new HttpCall(tool.integrationId(), tool.setting("method"), tool.setting("url"),
                        headers(tool), tool.setting("body"), tool.timeout(10), values(context, arguments, contact))));
                case N8N -> selected(tool, n8n.post(tool.integrationId(), n8nPayload(tool, context, arguments, contact), tool.timeout(20)));
                case SQL -> json.writeValueAsString(databases.query(tool.integrationId(), tool.setting("sql"), parameters(arguments),
                        tool.timeout(5), tool.config().path("max_rows").asInt(50)));
                case MCP -> {
                    McpServers.McpAnswer answer = mcp.call(tool.integrationId(), tool.setting("tool"), arguments.toString());
                    if (answer.error()) {
                        throw new IntegrationCallFailed("the MCP tool answered with an error: " + answer.text());
                    }
                    yield answer.text();
                }
            };
            return ToolResult.ok(truncated(content));
        } catch (IntegrationCallFailed e) {
            return ToolResult.failed("a ferramenta " + tool.slug() + " falhou: " + truncated(e.getMessage()));
        }
    }

    private Map<String, String> contactOf(ToolContext context) {
        Optional<Contact> contact = context.contactId() == null ? Optional.empty() : contacts.find(context.contactId());
        Map<String, String> values = new LinkedHashMap<>();
        contact.ifPresent(c -> {
            values.put("id", c.id().toString());
            values.put("name", c.name() == null ? "" : c.name());
            values.put("email", c.email() == null ? "" : c.email());
            values.put("phone", c.phone() == null ? "" : c.phone());
        });
        return values;
    }

    private static Map<String, String> values(ToolContext context, JsonNode arguments, Map<String, String> contact) {
        Map<String, String> values = new LinkedHashMap<>();
        arguments.properties().forEach(e -> values.put("args." + e.getKey(), e.getValue().isString() ? e.getValue().asString() : e.getValue().toString()));
        contact.forEach((k, v) -> values.put("contact." + k, v));
        if (context.conversationId() != null) {
            values.put("conversation.id", context.conversationId().toString());
        }
        return values;
    }

    private static Map<String, String> headers(AdminDefinedTool tool) {
        Map<String, String> headers = new LinkedHashMap<>();
        tool.config().path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asString()));
        return headers;
    }

    private ObjectNode n8nPayload(AdminDefinedTool tool, ToolContext context, JsonNode arguments, Map<String, String> contact) {
        ObjectNode payload = json.createObjectNode();
        payload.put("tool", tool.slug());
        payload.set("arguments", arguments);
        ObjectNode conversation = payload.putObject("conversation");
        conversation.put("id", context.conversationId() == null ? null : context.conversationId().toString());
        conversation.put("organization_id", context.organizationId().toString());
        ObjectNode customer = payload.putObject("contact");
        contact.forEach(customer::put);
        return payload;
    }

    private static Map<String, Object> parameters(JsonNode arguments) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        arguments.properties().forEach(e -> {
            JsonNode v = e.getValue();
            parameters.put(e.getKey(), v.isNull() ? null : v.isIntegralNumber() ? (Object) v.asLong() : v.isNumber() ? (Object) v.asDouble()
                    : v.isBoolean() ? (Object) v.asBoolean() : v.isString() ? v.asString() : v.toString());
        });
        return parameters;
    }

    /** The configured response fields of a JSON answer (by JSON pointer), else the whole answer. */
    private String selected(AdminDefinedTool tool, HttpAnswer answer) {
        JsonNode fields = tool.config().path("response_fields");
        if (!fields.isArray() || fields.isEmpty()) {
            return answer.body();
        }
        JsonNode body;
        try {
            body = json.readTree(answer.body());
        } catch (JacksonException e) {
            return answer.body();
        }
        ObjectNode picked = json.createObjectNode();
        for (JsonNode field : fields.values()) {
            JsonNode value = body.at(field.asString());
            picked.set(field.asString(), value.isMissingNode() ? null : value);
        }
        return picked.toString();
    }

    private static String truncated(String content) {
        if (content == null) {
            return "";
        }
        return content.length() <= MAX_RESULT_CHARS ? content
                : content.substring(0, MAX_RESULT_CHARS) + "… (truncated: " + content.length() + " characters in all)";
    }
}
