package io.switchboard.ai.tools;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The organization's own tools under {@code /api/v1/ai_tools}: create ({@code type} http, n8n, sql or mcp), read,
 * replace, delete, and {@code POST /api/v1/ai_tools/{slug}/test} to run one with sample arguments before an
 * agent is given it. They are listed with the built-in tools by {@code GET /api/v1/ai_tools}.
 */
@RestController
@RequestMapping("/api/v1/ai_tools")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "AI tools", description = "Tools the AI agents call")
class AdminDefinedToolsApi {

    private final AdminDefinedTools tools;
    private final JsonMapper json;

    AdminDefinedToolsApi(AdminDefinedTools tools, JsonMapper json) {
        this.tools = tools;
        this.json = json;
    }

    record ToolDefinition(String slug, String name, String description, String type, JsonNode parameters, JsonNode config) {
    }

    record ToolView(UUID id, String slug, String name, String description, String type, JsonNode parameters, JsonNode config,
                    boolean enabled) {
    }

    /** Sample arguments, and a sample customer for tools that need one ({@code name}, {@code email}, {@code phone}). */
    record Trial(JsonNode arguments, JsonNode contact) {
    }

    record TrialOutcome(boolean success, String content) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Define a tool: an HTTP call, an n8n webhook, a read-only SQL query or an MCP server's tool")
    ToolView create(@RequestBody ToolDefinition body) {
        return view(tools.create(draft(body)));
    }

    @GetMapping("/{slug}")
    ToolView get(@PathVariable String slug) {
        return view(tools.find(slug));
    }

    @PutMapping("/{slug}")
    @Operation(summary = "Change a tool the organization defined (its slug and type stay)")
    ToolView replace(@PathVariable String slug, @RequestBody ToolDefinition body) {
        return view(tools.update(slug, draft(body)));
    }

    @DeleteMapping("/{slug}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String slug) {
        tools.delete(slug);
    }

    @PostMapping("/{slug}/test")
    @Operation(summary = "Run the tool with sample arguments, as a model would, and see what it returns")
    TrialOutcome test(@PathVariable String slug, @RequestBody(required = false) Trial body) {
        ToolResult result = tools.trial(slug, body == null ? null : body.arguments(),
                AdminDefinedTools.contactSample(body == null ? null : body.contact()));
        return new TrialOutcome(result.success(), result.content());
    }

    private static AdminDefinedTools.Draft draft(ToolDefinition body) {
        return new AdminDefinedTools.Draft(body.slug(), body.name(), body.description(), body.type(), body.parameters(), body.config());
    }

    private ToolView view(AdminDefinedTool tool) {
        return new ToolView(tool.id(), tool.slug(), tool.name(), tool.description(), tool.type().code(), json.readTree(tool.parameters()),
                tool.config(), tool.enabled());
    }
}
