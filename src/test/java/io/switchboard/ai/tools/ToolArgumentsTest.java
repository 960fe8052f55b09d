package io.switchboard.ai.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToolArgumentsTest {

    private static final String SCHEMA = """
            {"type": "object",
             "properties": {
               "tag": {"type": "string", "minLength": 1, "maxLength": 10},
               "due_in_hours": {"type": "number", "minimum": 0, "maximum": 48},
               "count": {"type": "integer"},
               "urgent": {"type": "boolean"},
               "kind": {"type": "string", "enum": ["call", "task"]},
               "labels": {"type": "array", "items": {"type": "string"}}
             },
             "required": ["tag"],
             "additionalProperties": false}""";

    private final ToolArguments arguments = new ToolArguments();

    @Test
    void validArgumentsAreReturnedParsed() {
        var validation = arguments.validate(SCHEMA, """
                {"tag": "vip", "due_in_hours": 2.5, "count": 3, "urgent": true, "kind": "call", "labels": ["a"]}""");

        assertThat(validation.valid()).isTrue();
        assertThat(validation.error()).isNull();
        assertThat(validation.arguments().get("tag").asString()).isEqualTo("vip");
    }

    @Test
    void textThatIsNotJsonIsRejectedSayingSo() {
        var validation = arguments.validate(SCHEMA, "{tag: vip");

        assertThat(validation.valid()).isFalse();
        assertThat(validation.error()).startsWith("arguments are not valid JSON: ");
    }

    @Test
    void aMissingRequiredFieldIsNamed() {
        assertThat(arguments.validate(SCHEMA, "{}").error()).isEqualTo("missing required field 'tag'");
        assertThat(arguments.validate(SCHEMA, "{\"tag\": null}").error()).isEqualTo("missing required field 'tag'");
    }

    @Test
    void aFieldOfTheWrongTypeIsNamedWithTheExpectedType() {
        assertThat(arguments.validate(SCHEMA, "{\"tag\": \"x\", \"due_in_hours\": \"soon\"}").error())
                .startsWith("field 'due_in_hours' must be a number");
        assertThat(arguments.validate(SCHEMA, "{\"tag\": 5}").error()).startsWith("field 'tag' must be a string");
        assertThat(arguments.validate(SCHEMA, "{\"tag\": \"x\", \"count\": 1.5}").error())
                .startsWith("field 'count' must be an integer");
        assertThat(arguments.validate(SCHEMA, "{\"tag\": \"x\", \"urgent\": \"yes\"}").error())
                .startsWith("field 'urgent' must be a boolean");
        assertThat(arguments.validate(SCHEMA, "{\"tag\": \"x\", \"labels\": [1]}").error())
                .startsWith("field 'labels[0]' must be a string");
    }

    @Test
    void aWholeNumberWrittenWithADecimalPointCountsAsAnInteger() {
        assertThat(arguments.validate(SCHEMA, "{\"tag\": \"x\", \"count\": 3.0}").valid()).isTrue();
    }

    @Test
    void argumentsThatAreNotAnObjectAreRejected() {
        assertThat(arguments.validate(SCHEMA, "[1, 2]").error()).startsWith("arguments must be a JSON object");
    }

    @Test
    void anUnexpectedFieldIsRejectedOnlyWhenTheSchemaIsClosed() {
        assertThat(arguments.validate(SCHEMA, "{\"tag\": \"x\", \"foo\": 1}").error()).startsWith("unexpected field 'foo'");

        String open = "{\"type\": \"object\", \"properties\": {\"tag\": {\"type\": \"string\"}}}";
        assertThat(arguments.validate(open, "{\"tag\": \"x\", \"foo\": 1}").valid()).isTrue();
    }

    @Test
    void aValueOutsideTheEnumListsTheAllowedValues() {
        assertThat(arguments.validate(SCHEMA, "{\"tag\": \"x\", \"kind\": \"visit\"}").error())
                .isEqualTo("field 'kind' must be one of [\"call\", \"task\"] but was \"visit\"");
    }

    @Test
    void boundsOnLengthsAndNumbersAreEnforced() {
        assertThat(arguments.validate(SCHEMA, "{\"tag\": \"\"}").error()).isEqualTo("field 'tag' must not be empty");
        assertThat(arguments.validate(SCHEMA, "{\"tag\": \"much too long\"}").error())
                .isEqualTo("field 'tag' must have at most 10 characters");
        assertThat(arguments.validate(SCHEMA, "{\"tag\": \"x\", \"due_in_hours\": -1}").error())
                .isEqualTo("field 'due_in_hours' must be at least 0");
        assertThat(arguments.validate(SCHEMA, "{\"tag\": \"x\", \"due_in_hours\": 49}").error())
                .isEqualTo("field 'due_in_hours' must be at most 48");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThat(arguments.validate(SCHEMA, "{\"due_in_hours\": \"x\", \"foo\": 1}").error())
                .contains("missing required field 'tag'").contains("field 'due_in_hours' must be a number")
                .contains("unexpected field 'foo'");
    }

    @Test
    void blankArgumentsMeanAnEmptyObject() {
        String noParameters = "{\"type\": \"object\", \"properties\": {}, \"additionalProperties\": false}";
        assertThat(arguments.validate(noParameters, "").valid()).isTrue();
        assertThat(arguments.validate(noParameters, null).arguments().isObject()).isTrue();
    }

    @Test
    void anOptionalFieldSentAsNullIsTreatedAsAbsent() {
        assertThat(arguments.validate(SCHEMA, "{\"tag\": \"x\", \"count\": null}").valid()).isTrue();
    }

    @Test
    void aBrokenSchemaIsAProgrammingError() {
        assertThatThrownBy(() -> arguments.validate("{", "{}")).isInstanceOf(IllegalArgumentException.class);
    }
}
