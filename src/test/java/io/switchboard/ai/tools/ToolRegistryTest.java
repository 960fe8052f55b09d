package io.switchboard.ai.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

class ToolRegistryTest {

    private static final ToolContext CONTEXT = new ToolContext(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
            UUID.randomUUID(), JsonNodeFactory.instance.objectNode());

    record FakeTool(String slug, RuntimeException failure) implements ToolHandler {
        @Override
        public String description() {
            return "fake";
        }

        @Override
        public String parametersSchema() {
            return "{\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\"}}, \"required\": [\"n\"], \"additionalProperties\": false}";
        }

        @Override
        public ToolResult execute(ToolContext context, JsonNode arguments) {
            if (failure != null) {
                throw failure;
            }
            return ToolResult.ok("n=" + arguments.get("n").asInt());
        }
    }

    @Test
    void aToolRunsWithArgumentsThatMatchItsSchema() {
        var registry = new ToolRegistry(List.of(new FakeTool("somar", null)), null, null, null);

        assertThat(registry.invoke(registry.find("somar").orElseThrow(), CONTEXT, "{\"n\": 2}").content()).isEqualTo("n=2");
    }

    @Test
    void invalidArgumentsBecomeAFailedResultTheModelCanRead() {
        var registry = new ToolRegistry(List.of(new FakeTool("somar", null)), null, null, null);

        ToolResult result = registry.invoke(registry.find("somar").orElseThrow(), CONTEXT, "{\"n\": \"dois\"}");

        assertThat(result.success()).isFalse();
        assertThat(result.content()).isEqualTo("invalid arguments for somar: field 'n' must be an integer but was a string (\"dois\")");
    }

    @Test
    void aToolThatThrowsBecomesAFailedResultInsteadOfEndingTheTurn() {
        var registry = new ToolRegistry(List.of(new FakeTool("quebrar", new IllegalStateException("boom"))), null, null, null);

        ToolResult result = registry.invoke(registry.find("quebrar").orElseThrow(), CONTEXT, "{\"n\": 1}");

        assertThat(result.success()).isFalse();
        assertThat(result.content()).contains("internal error").doesNotContain("boom");
    }

    @Test
    void twoToolsWithTheSameSlugStopTheApplicationFromStarting() {
        assertThatThrownBy(() -> new ToolRegistry(List.of(new FakeTool("x", null), new FakeTool("x", null)), null, null, null))
                .hasMessageContaining("two tool handlers share the slug 'x'");
    }

    @Test
    void anUnknownSlugIsNotFound() {
        var registry = new ToolRegistry(List.of(new FakeTool("somar", null)), null, null, null);

        assertThat(registry.find("voar")).isEmpty();
        assertThat(registry.find(null)).isEmpty();
        assertThat(registry.unknownTool("voar").getMessage()).isEqualTo("unknown tool 'voar'; available: somar");
    }
}
