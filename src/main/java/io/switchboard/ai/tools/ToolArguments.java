package io.switchboard.ai.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks the arguments a model sent for a tool call against the tool's JSON Schema before the tool runs.
 * Errors are written for the model: each names the field and what is expected, so the model can correct the
 * call in its next round.
 *
 * <p>Supports the subset of JSON Schema our tool schemas use: {@code type} (object, string, integer, number,
 * boolean, array), {@code properties}, {@code required}, {@code enum}, {@code minLength}/{@code maxLength},
 * {@code minimum}/{@code maximum}, {@code items} and {@code additionalProperties: false}. Anything else in a
 * schema is ignored, never rejected. Thread-safe; parsed schemas are cached.
 */
public final class ToolArguments {

    /** The outcome: the parsed arguments when valid, otherwise an error message for the model. */
    public record Validation(JsonNode arguments, String error) {

        public boolean valid() {
            return error == null;
        }

        static Validation ok(JsonNode arguments) {
            return new Validation(arguments, null);
        }

        static Validation invalid(String error) {
            return new Validation(null, error);
        }
    }

    private static final Set<String> KNOWN_TYPES = Set.of("object", "string", "integer", "number", "boolean", "array");

    private final JsonMapper json;
    private final Map<String, JsonNode> schemas = new ConcurrentHashMap<>();

    public ToolArguments() {
        this(JsonMapper.builder().build());
    }

    public ToolArguments(JsonMapper json) {
        this.json = json;
    }

    /**
     * Parses {@code argumentsJson} and checks it against {@code schemaJson}. A blank argument text counts as
     * an empty object (models send "" for tools without parameters).
     *
     * @throws IllegalArgumentException when the schema itself is not valid JSON (a programming error)
     */
    public Validation validate(String schemaJson, String argumentsJson) {
        JsonNode schema = schemas.computeIfAbsent(schemaJson, this::parseSchema);
        JsonNode arguments;
        try {
            arguments = argumentsJson == null || argumentsJson.isBlank() ? json.createObjectNode() : json.readTree(argumentsJson);
        } catch (JacksonException e) {
            return Validation.invalid("arguments are not valid JSON: " + e.getOriginalMessage());
        }
        if (arguments == null || arguments.isMissingNode()) {
            arguments = json.createObjectNode();
        }
        List<String> errors = new ArrayList<>();
        check(schema, arguments, "", errors);
        return errors.isEmpty() ? Validation.ok(arguments) : Validation.invalid(String.join("; ", errors));
    }

    private JsonNode parseSchema(String schemaJson) {
        try {
            return json.readTree(schemaJson);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("tool schema is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
        String type = schema.path("type").asString("");
        if (!type.isEmpty() && KNOWN_TYPES.contains(type) && !hasType(value, type)) {
            errors.add(path.isEmpty() ? "arguments must be a JSON " + type + " but were " + describe(value)
                    : "field '" + path + "' must be " + article(type) + " but was " + describe(value));
            return;
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && allowed.isArray() && !contains(allowed, value)) {
            errors.add("field '" + path + "' must be one of " + listOf(allowed) + " but was " + compact(value));
            return;
        }
        if (value.isString()) {
            int length = value.asString().codePointCount(0, value.asString().length());
            if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
                errors.add(schema.get("minLength").asInt() == 1 ? "field '" + path + "' must not be empty"
                        : "field '" + path + "' must have at least " + schema.get("minLength").asInt() + " characters");
            }
            if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
                errors.add("field '" + path + "' must have at most " + schema.get("maxLength").asInt() + " characters");
            }
        }
        if (value.isNumber()) {
            if (schema.has("minimum") && value.doubleValue() < schema.get("minimum").doubleValue()) {
                errors.add("field '" + path + "' must be at least " + schema.get("minimum").asString());
            }
            if (schema.has("maximum") && value.doubleValue() > schema.get("maximum").doubleValue()) {
                errors.add("field '" + path + "' must be at most " + schema.get("maximum").asString());
            }
        }
        if (value.isObject()) {
            checkObject(schema, value, path, errors);
        }
        if (value.isArray() && schema.has("items")) {
            int index = 0;
            for (JsonNode item : value.values()) {
                check(schema.get("items"), item, path + "[" + index++ + "]", errors);
            }
        }
    }

    private void checkObject(JsonNode schema, JsonNode value, String path, List<String> errors) {
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required").values()) {
            JsonNode present = value.get(required.asString());
            if (present == null || present.isNull()) {
                errors.add("missing required field '" + qualified(path, required.asString()) + "'");
            }
        }
        boolean closed = schema.has("additionalProperties") && schema.get("additionalProperties").isBoolean()
                && !schema.get("additionalProperties").booleanValue();
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String name = qualified(path, field.getKey());
            JsonNode propertySchema = properties.get(field.getKey());
            if (propertySchema == null) {
                if (closed) {
                    errors.add("unexpected field '" + name + "'; allowed: " + String.join(", ", properties.propertyNames()));
                }
                continue;
            }
            // an optional field sent as null means "not given", which models often do
            if (!field.getValue().isNull()) {
                check(propertySchema, field.getValue(), name, errors);
            }
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "string" -> value.isString();
            // 3.0 is an integer in JSON Schema; 3.5 is not
            case "integer" -> value.isIntegralNumber() || (value.isFloatingPointNumber() && value.canConvertToExactIntegral());
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            default -> true;
        };
    }

    private static boolean contains(JsonNode allowed, JsonNode value) {
        for (JsonNode option : allowed.values()) {
            if (option.equals(value) || (option.isNumber() && value.isNumber() && option.doubleValue() == value.doubleValue())) {
                return true;
            }
        }
        return false;
    }

    private static String article(String type) {
        return switch (type) {
            case "object", "integer", "array" -> "an " + type;
            default -> "a " + type;
        };
    }

    private static String describe(JsonNode value) {
        if (value.isString()) {
            return "a string (" + compact(value) + ")";
        }
        if (value.isIntegralNumber()) {
            return "an integer (" + value + ")";
        }
        if (value.isNumber()) {
            return "a number (" + value + ")";
        }
        if (value.isBoolean()) {
            return "a boolean (" + value + ")";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isObject()) {
            return "an object";
        }
        return "null";
    }

    private static String compact(JsonNode value) {
        String text = value.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    private static String listOf(JsonNode allowed) {
        List<String> options = new ArrayList<>();
        allowed.values().forEach(option -> options.add(option.toString()));
        return "[" + String.join(", ", options) + "]";
    }

    private static String qualified(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
