package io.switchboard.web;

import io.switchboard.ai.tools.AdminDefinedTools;
import io.switchboard.ai.tools.ToolResult;
import io.switchboard.integration.ConnectionTest;
import io.switchboard.integration.ConnectionTester;
import io.switchboard.integration.IntegrationKind;
import io.switchboard.integration.Integrations;
import io.switchboard.refusal.Refusal;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin pages for connecting the organization's systems ({@code /admin/integrations}: add, test, remove)
 * and for its own AI tools ({@code /admin/tools}: define an HTTP, n8n, SQL or MCP tool, try it with sample
 * arguments, remove it). Both go through the same services as the API; secrets are typed, stored, never shown.
 */
@Controller
class AdminIntegrationsController {

    /** The setting each kind's single address field fills. */
    private static final Map<IntegrationKind, String> ADDRESS = Map.of(IntegrationKind.WOOCOMMERCE, "site_url",
            IntegrationKind.HTTP_API, "base_url", IntegrationKind.N8N, "webhook_url", IntegrationKind.DATABASE, "jdbc_url",
            IntegrationKind.MCP, "url");

    private final Integrations integrations;
    private final ConnectionTester tester;
    private final AdminDefinedTools tools;
    private final JsonMapper json;

    AdminIntegrationsController(Integrations integrations, ConnectionTester tester, AdminDefinedTools tools, JsonMapper json) {
        this.integrations = integrations;
        this.tester = tester;
        this.tools = tools;
        this.json = json;
    }

    @GetMapping("/admin/integrations")
    String integrations(Model model) {
        return integrationsPage(model, null);
    }

    @PostMapping("/admin/integrations")
    String addIntegration(@RequestParam String kind, @RequestParam String name, @RequestParam(defaultValue = "") String address,
                          @RequestParam(defaultValue = "") String username, @RequestParam(name = "header_name", defaultValue = "") String headerName,
                          @RequestParam(name = "timeout_seconds", defaultValue = "") String timeoutSeconds,
                          @RequestParam(defaultValue = "") String secrets, Model model, HttpServletResponse response,
                          RedirectAttributes redirect) {
        try {
            IntegrationKind chosen = IntegrationKind.fromCode(kind);
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put(ADDRESS.get(chosen), address);
            if (chosen == IntegrationKind.DATABASE) {
                settings.put("username", username);
            }
            if (chosen == IntegrationKind.N8N && !headerName.isBlank()) {
                settings.put("auth_header_name", headerName);
            }
            if (chosen == IntegrationKind.MCP) {
                settings.put("transport", "streamable_http");
            }
            if (!timeoutSeconds.isBlank() && chosen != IntegrationKind.DATABASE) {
                settings.put("timeout_seconds", timeoutSeconds.strip());
            }
            integrations.create(new Integrations.Draft(chosen, name, settings, secretLines(secrets)));
        } catch (Refusal e) {
            response.setStatus(422);
            return integrationsPage(model, e.getMessage());
        }
        redirect.addFlashAttribute("notice", "admin.integrations.saved");
        return "redirect:/admin/integrations";
    }

    @PostMapping("/admin/integrations/{id}/test")
    String testIntegration(@PathVariable UUID id, RedirectAttributes redirect) {
        ConnectionTest outcome = tester.test(id);
        redirect.addFlashAttribute("notice", outcome.ok() ? "admin.integrations.testOk" : "admin.integrations.testFailed");
        redirect.addFlashAttribute("noticeArg", outcome.message());
        return "redirect:/admin/integrations";
    }

    @PostMapping("/admin/integrations/{id}/delete")
    String deleteIntegration(@PathVariable UUID id, RedirectAttributes redirect) {
        integrations.delete(id);
        redirect.addFlashAttribute("notice", "admin.integrations.deleted");
        return "redirect:/admin/integrations";
    }

    @GetMapping("/admin/tools")
    String tools(Model model) {
        return toolsPage(model, null, null);
    }

    @PostMapping("/admin/tools")
    String addTool(@RequestParam String slug, @RequestParam String type, @RequestParam(defaultValue = "") String description,
                   @RequestParam(name = "integration_id", defaultValue = "") String integrationId,
                   @RequestParam(defaultValue = "") String parameters, @RequestParam(defaultValue = "GET") String method,
                   @RequestParam(defaultValue = "") String url, @RequestParam(defaultValue = "") String headers,
                   @RequestParam(defaultValue = "") String body, @RequestParam(name = "response_fields", defaultValue = "") String responseFields,
                   @RequestParam(defaultValue = "") String sql, @RequestParam(name = "max_rows", defaultValue = "") String maxRows,
                   @RequestParam(name = "mcp_tool", defaultValue = "") String mcpTool,
                   @RequestParam(name = "timeout_seconds", defaultValue = "") String timeoutSeconds,
                   @RequestParam(name = "requires_contact", defaultValue = "false") boolean requiresContact,
                   Model model, HttpServletResponse response, RedirectAttributes redirect) {
        try {
            ObjectNode config = json.createObjectNode();
            if (!integrationId.isBlank()) {
                config.put("integration_id", integrationId);
            }
            if (!timeoutSeconds.isBlank()) {
                config.put("timeout_seconds", number(timeoutSeconds, "timeout_seconds"));
            }
            switch (type) {
                case "http" -> {
                    config.put("method", method).put("url", url.strip()).put("requires_contact", requiresContact);
                    if (!headers.isBlank()) {
                        config.set("headers", object(headerLines(headers)));
                    }
                    if (!body.isBlank()) {
                        config.put("body", body);
                    }
                }
                case "sql" -> {
                    config.put("sql", sql);
                    if (!maxRows.isBlank()) {
                        config.put("max_rows", (int) number(maxRows, "max_rows"));
                    }
                }
                case "mcp" -> config.put("tool", mcpTool.strip());
                default -> {
                }
            }
            if (!responseFields.isBlank() && !type.equals("sql") && !type.equals("mcp")) {
                var fields = config.putArray("response_fields");
                for (String field : responseFields.split("[,\\s]+")) {
                    if (!field.isBlank()) {
                        fields.add(field.strip());
                    }
                }
            }
            JsonNode schema = parameters.isBlank() ? null : parse(parameters, "parameters");
            tools.create(new AdminDefinedTools.Draft(slug, null, description.isBlank() ? null : description, type, schema, config));
        } catch (Refusal e) {
            response.setStatus(422);
            return toolsPage(model, e.getMessage(), null);
        }
        redirect.addFlashAttribute("notice", "admin.tools.saved");
        return "redirect:/admin/tools";
    }

    @PostMapping("/admin/tools/{slug}/test")
    String tryTool(@PathVariable String slug, @RequestParam(defaultValue = "{}") String arguments,
                   @RequestParam(name = "contact_email", defaultValue = "") String contactEmail,
                   @RequestParam(name = "contact_phone", defaultValue = "") String contactPhone, Model model, HttpServletResponse response) {
        try {
            ToolResult result = tools.trial(slug, parse(arguments.isBlank() ? "{}" : arguments, "arguments"),
                    Map.of("email", contactEmail.strip(), "phone", contactPhone.strip()));
            model.addAttribute("trial", Map.of("slug", slug, "success", result.success(), "content", result.content()));
            return toolsPage(model, null, slug);
        } catch (Refusal e) {
            response.setStatus(422);
            return toolsPage(model, e.getMessage(), slug);
        }
    }

    @PostMapping("/admin/tools/{slug}/delete")
    String deleteTool(@PathVariable String slug, RedirectAttributes redirect) {
        tools.delete(slug);
        redirect.addFlashAttribute("notice", "admin.tools.deleted");
        return "redirect:/admin/tools";
    }

    private String integrationsPage(Model model, String problem) {
        model.addAttribute("integrations", integrations.list());
        model.addAttribute("kinds", List.of(IntegrationKind.values()));
        model.addAttribute("problem", problem);
        return "admin/integrations";
    }

    private String toolsPage(Model model, String problem, String triedSlug) {
        model.addAttribute("tools", tools.list());
        model.addAttribute("integrations", integrations.list());
        model.addAttribute("problem", problem);
        model.addAttribute("triedSlug", triedSlug);
        return "admin/tools";
    }

    /** "name=value" per line; a line without "=" is refused rather than guessed. */
    private static Map<String, String> secretLines(String text) {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 1) {
                throw new io.switchboard.refusal.InvalidInput("secrets: write one per line as name=value");
            }
            secrets.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
        }
        return secrets;
    }

    /** "Header-Name: value" per line. */
    private static Map<String, String> headerLines(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 1) {
                throw new io.switchboard.refusal.InvalidInput("headers: write one per line as Name: value");
            }
            headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        return headers;
    }

    private ObjectNode object(Map<String, String> values) {
        ObjectNode node = json.createObjectNode();
        values.forEach(node::put);
        return node;
    }

    private JsonNode parse(String text, String field) {
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            throw new io.switchboard.refusal.InvalidInput(field + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static double number(String text, String field) {
        try {
            return Double.parseDouble(text.strip().replace(',', '.'));
        } catch (NumberFormatException e) {
            throw new io.switchboard.refusal.InvalidInput(field + " must be a number");
        }
    }
}
