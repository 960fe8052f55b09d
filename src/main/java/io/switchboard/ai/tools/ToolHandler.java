package io.switchboard.ai.tools;

import tools.jackson.databind.JsonNode;

/**
 * One tool an AI agent can call (OpenAI function calling). A new tool is a new Spring bean implementing this
 * interface; the registry finds it. Handlers run in the conversation's tenant scope, outside any
 * transaction, and must not throw for bad input: they return a failed {@link ToolResult} the model can read.
 */
public interface ToolHandler {

    /** The function name the model calls, e.g. {@code adicionar_tag}. */
    String slug();

    /** What the tool does, for the model (Portuguese, like the tool names). */
    String description();

    /** JSON Schema (type object) of the arguments. */
    String parametersSchema();

    /** Runs the tool with arguments already validated against {@link #parametersSchema()}. */
    ToolResult execute(ToolContext context, JsonNode arguments);
}
