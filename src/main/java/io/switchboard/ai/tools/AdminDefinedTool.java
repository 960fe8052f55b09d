package io.switchboard.ai.tools;

import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A tool an administrator defined (an {@code ai_tools} row of type http, n8n, sql or mcp): its name for the
 * model, description, JSON Schema of arguments, and the type's configuration (URL template, SQL, MCP tool…).
 */
public record AdminDefinedTool(UUID id, String slug, String name, String description, ToolType type, String parameters,
                               JsonNode config, boolean enabled) {

    /** What runs when the model calls the tool. */
    public enum ToolType {
        /** An HTTP request built from templates, optionally through an http_api integration. */
        HTTP("http"),
        /** A POST of the conversation context and arguments to an n8n webhook. */
        N8N("n8n"),
        /** An administrator's read-only SQL on an external database integration. */
        SQL("sql"),
        /** A tool of a connected MCP server. */
        MCP("mcp");

        private final String code;

        ToolType(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        static java.util.Optional<ToolType> fromCode(String code) {
            for (ToolType type : values()) {
                if (type.code.equals(code)) {
                    return java.util.Optional.of(type);
                }
            }
            return java.util.Optional.empty();
        }
    }

    /** A setting of the configuration as text, or null when absent. */
    String setting(String key) {
        JsonNode value = config.get(key);
        return value == null || value.isNull() ? null : value.asString();
    }

    /** The integration the tool goes through, or null. */
    UUID integrationId() {
        String id = setting("integration_id");
        return id == null || id.isBlank() ? null : UUID.fromString(id);
    }

    /** The call's deadline in seconds (configured, else {@code fallback}). */
    java.time.Duration timeout(double fallbackSeconds) {
        double seconds = config.path("timeout_seconds").asDouble(fallbackSeconds);
        return java.time.Duration.ofMillis((long) (seconds * 1000));
    }
}
