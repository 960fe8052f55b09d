package io.switchboard.ai.llm;

import java.util.Objects;

/**
 * A function the model may call.
 *
 * @param name function name ({@code ^[a-zA-Z0-9_-]{1,64}$} for OpenAI)
 * @param description what it does and when to use it; the model reads this
 * @param parametersJsonSchema a JSON Schema of {@code "type": "object"} describing the arguments,
 *     sent to the provider as given
 */
public record LlmTool(String name, String description, String parametersJsonSchema) {

    public LlmTool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parametersJsonSchema, "parametersJsonSchema");
    }
}
