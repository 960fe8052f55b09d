package io.switchboard.integration;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.switchboard.refusal.InvalidInput;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/integrations}: the organization's connections to its own systems. Secrets are write-only:
 * responses list which are set ({@code secrets_set}), never their values.
 */
@RestController
@RequestMapping("/api/v1/integrations")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "Integrations", description = "Connections to WooCommerce, HTTP APIs, n8n, external databases and MCP servers")
class IntegrationsApi {

    private static final int MAX_LIMIT = 200;

    private final Integrations integrations;
    private final ConnectionTester tester;
    private final McpServers mcp;

    IntegrationsApi(Integrations integrations, ConnectionTester tester, McpServers mcp) {
        this.integrations = integrations;
        this.tester = tester;
        this.mcp = mcp;
    }

    /** A connection to create; {@code secrets} are stored encrypted and never returned. */
    record NewIntegration(String kind, String name, Map<String, Object> settings, Map<String, String> secrets) {
    }

    /** A change: null fields keep their value; a secret set to an empty text is removed, one left out is kept. */
    record IntegrationChange(String name, Map<String, Object> settings, Map<String, String> secrets) {
    }

    record IntegrationView(UUID id, String kind, String name, Map<String, Object> settings, List<String> secretsSet,
                           Instant lastTestedAt, Boolean lastTestOk, String lastTestMessage, Instant createdAt, Instant updatedAt) {

        static IntegrationView of(Integration i) {
            return new IntegrationView(i.id(), i.kind().code(), i.name(), i.settings(), i.secretsSet(), i.lastTestedAt(),
                    i.lastTestOk(), i.lastTestMessage(), i.createdAt(), i.updatedAt());
        }
    }

    record IntegrationPage(List<IntegrationView> items, String nextCursor) {
    }

    @GetMapping
    @Operation(summary = "List the organization's integrations, by name")
    IntegrationPage list(@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInput("limit must be between 1 and " + MAX_LIMIT);
        }
        int offset = offset(cursor);
        List<Integration> all = integrations.list();
        List<IntegrationView> page = all.stream().skip(offset).limit(limit).map(IntegrationView::of).toList();
        return new IntegrationPage(page, offset + limit < all.size() ? String.valueOf(offset + limit) : null);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Connect a system: kind woocommerce, http_api, n8n, database or mcp")
    IntegrationView create(@RequestBody NewIntegration body) {
        return IntegrationView.of(integrations.create(new Integrations.Draft(IntegrationKind.fromCode(body.kind()), body.name(),
                body.settings(), body.secrets())));
    }

    @GetMapping("/{id}")
    IntegrationView get(@PathVariable UUID id) {
        return IntegrationView.of(integrations.find(id));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change an integration's name, settings or secrets")
    IntegrationView update(@PathVariable UUID id, @RequestBody IntegrationChange body) {
        return IntegrationView.of(integrations.update(id, new Integrations.Draft(null, body.name(), body.settings(), body.secrets())));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id) {
        integrations.delete(id);
    }

    @PostMapping("/{id}/test_connection")
    @Operation(summary = "Call the system as its tools will and report what it answered")
    ConnectionTest testConnection(@PathVariable UUID id) {
        return tester.test(id);
    }

    @GetMapping("/{id}/mcp_tools")
    @Operation(summary = "The tools an MCP server offers (to create AI tools from)")
    List<McpServers.McpTool> mcpTools(@PathVariable UUID id) {
        if (integrations.find(id).kind() != IntegrationKind.MCP) {
            throw new InvalidInput("integration " + id + " is not an MCP server");
        }
        try {
            return mcp.tools(id);
        } catch (IntegrationCallFailed e) {
            throw new InvalidInput(e.getMessage());
        }
    }

    private static int offset(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(cursor);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new InvalidInput("cursor '" + cursor + "' is not one this API returned: pass next_cursor from the previous page");
    }
}
