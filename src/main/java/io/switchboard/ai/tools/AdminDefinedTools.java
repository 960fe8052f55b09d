package io.switchboard.ai.tools;

import io.switchboard.ai.AgentCache;

import io.switchboard.ai.tools.AdminDefinedTool.ToolType;
import io.switchboard.database.TenantScope;
import io.switchboard.integration.ExternalDatabase;
import io.switchboard.integration.Integration;
import io.switchboard.integration.IntegrationCallFailed;
import io.switchboard.integration.IntegrationKind;
import io.switchboard.integration.Integrations;
import io.switchboard.integration.McpServers;
import io.switchboard.outbound.OutboundGuard;
import io.switchboard.outbound.RetryPolicy;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The organization's own tools — HTTP calls, n8n webhooks, read-only SQL on an external database, MCP server
 * tools — stored as {@code ai_tools} rows beside the system tools and assigned to agents the same way. Each
 * definition is checked when saved (its schema, its integration's kind, its URL against the outbound guard,
 * its SQL as one statement whose parameters the schema declares), and can be tried with sample arguments
 * before an agent gets it.
 */
@Service
public class AdminDefinedTools {

    private static final Pattern SLUG = Pattern.compile("[a-z][a-z0-9_]{2,63}");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final int MAX_ROWS = 500;
    private static final String COLUMNS = "id, slug, name, description, tool_type, parameters::text as parameters, config::text as config, enabled";

    /** A definition to save; on update the slug and type cannot change. */
    public record Draft(String slug, String name, String description, String type, JsonNode parameters, JsonNode config) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Set<String> systemSlugs;
    private final Integrations integrations;
    private final McpServers mcp;
    private final OutboundGuard guard;
    private final AdminDefinedToolRunner runner;
    private final AgentCache agents;
    private final ToolArguments arguments = new ToolArguments();

    AdminDefinedTools(JdbcClient jdbc, JsonMapper json, List<ToolHandler> systemTools, Integrations integrations, McpServers mcp,
                      OutboundGuard guard, AdminDefinedToolRunner runner, AgentCache agents) {
        this.agents = agents;
        this.jdbc = jdbc;
        this.json = json;
        this.systemSlugs = systemTools.stream().map(ToolHandler::slug).collect(Collectors.toUnmodifiableSet());
        this.integrations = integrations;
        this.mcp = mcp;
        this.guard = guard;
        this.runner = runner;
    }

    public List<AdminDefinedTool> list() {
        return jdbc.sql("select " + COLUMNS + " from ai_tools where organization_id = ? and tool_type <> 'system' order by slug")
                .param(TenantScope.requireOrganization()).query(rows()).list().stream().flatMap(Optional::stream).toList();
    }

    public AdminDefinedTool find(String slug) {
        return findOptional(TenantScope.requireOrganization(), slug)
                .orElseThrow(() -> new NotFound("no tool '" + slug + "' defined by this organization"));
    }

    Optional<AdminDefinedTool> findOptional(UUID organizationId, String slug) {
        return jdbc.sql("select " + COLUMNS + " from ai_tools where organization_id = ? and slug = ? and tool_type <> 'system'")
                .params(organizationId, slug).query(rows()).optional().flatMap(t -> t);
    }

    /** The tool as the model calls it, when the organization defined one with this slug. */
    Optional<ToolHandler> handler(UUID organizationId, String slug) {
        return findOptional(organizationId, slug).map(this::handlerFor);
    }

    public AdminDefinedTool create(Draft draft) {
        String slug = draft.slug() == null ? "" : draft.slug().strip();
        if (!SLUG.matcher(slug).matches()) {
            throw new InvalidInput("slug must be 3 to 64 lower case letters, digits and _, starting with a letter (e.g. consultar_frete)");
        }
        if (systemSlugs.contains(slug)) {
            throw new Conflict("'" + slug + "' is the name of a built-in tool; choose another");
        }
        ToolType type = ToolType.fromCode(draft.type() == null ? "" : draft.type().strip())
                .orElseThrow(() -> new InvalidInput("type must be one of " + Arrays.stream(ToolType.values()).map(ToolType::code).toList()));
        Checked checked = check(type, draft);
        try {
            jdbc.sql("""
                    insert into ai_tools (organization_id, slug, name, description, tool_type, parameters, config)
                    values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)""")
                    .params(TenantScope.requireOrganization(), slug, name(draft.name(), slug), checked.description(), type.code(),
                            checked.parameters(), checked.config().toString())
                    .update();
        } catch (DuplicateKeyException e) {
            throw new Conflict("a tool named '" + slug + "' already exists");
        }
        return find(slug);
    }

    public AdminDefinedTool update(String slug, Draft draft) {
        AdminDefinedTool current = find(slug);
        if (draft.type() != null && !draft.type().strip().equals(current.type().code())) {
            throw new InvalidInput("type cannot change (it is " + current.type().code() + "); create another tool");
        }
        Checked checked = check(current.type(), new Draft(slug, draft.name(),
                draft.description() != null ? draft.description() : current.description(),
                current.type().code(), draft.parameters() != null ? draft.parameters() : json.readTree(current.parameters()),
                draft.config() != null ? draft.config() : current.config()));
        jdbc.sql("update ai_tools set name = ?, description = ?, parameters = ?::jsonb, config = ?::jsonb where id = ?")
                .params(draft.name() == null ? current.name() : name(draft.name(), slug), checked.description(), checked.parameters(),
                        checked.config().toString(), current.id())
                .update();
        return find(slug);
    }

    public void delete(String slug) {
        jdbc.sql("delete from ai_tools where id = ?").param(find(slug).id()).update();
        agents.changed(TenantScope.requireOrganization()); // its assignments went with it
    }

    /**
     * Runs the tool as a model would, with sample arguments (validated against its schema) and, for tools that
     * need the customer, a sample contact ({@code name}, {@code email}, {@code phone}).
     */
    public ToolResult trial(String slug, JsonNode sampleArguments, Map<String, String> sampleContact) {
        AdminDefinedTool tool = find(slug);
        ToolArguments.Validation validation = arguments.validate(tool.parameters(),
                sampleArguments == null || sampleArguments.isNull() ? "{}" : sampleArguments.toString());
        if (!validation.valid()) {
            throw new InvalidInput("arguments: " + validation.error());
        }
        ToolContext context = new ToolContext(TenantScope.requireOrganization(), null, null, null, json.createObjectNode());
        return runner.run(tool, context, validation.arguments(), sampleContact == null ? Map.of() : sampleContact);
    }

    private ToolHandler handlerFor(AdminDefinedTool tool) {
        return new ToolHandler() {
            @Override
            public String slug() {
                return tool.slug();
            }

            @Override
            public String description() {
                return tool.description();
            }

            @Override
            public String parametersSchema() {
                return tool.parameters();
            }

            @Override
            public ToolResult execute(ToolContext context, JsonNode arguments) {
                return runner.run(tool, context, arguments, null);
            }
        };
    }

    private record Checked(String description, String parameters, ObjectNode config) {
    }

    private Checked check(ToolType type, Draft draft) {
        ObjectNode config = draft.config() != null && draft.config().isObject() ? ((ObjectNode) draft.config()).deepCopy() : json.createObjectNode();
        if (draft.config() != null && !draft.config().isNull() && !draft.config().isObject()) {
            throw new InvalidInput("config must be a JSON object");
        }
        String description = draft.description();
        JsonNode parameters = draft.parameters();
        if (config.has("timeout_seconds")) {
            double seconds = config.get("timeout_seconds").asDouble(-1);
            if (!config.get("timeout_seconds").isNumber() || seconds <= 0 || seconds > 60) {
                throw new InvalidInput("config.timeout_seconds must be a number of seconds between 0 and 60");
            }
        }
        switch (type) {
            case HTTP -> checkHttp(config);
            case N8N -> requireIntegration(config, IntegrationKind.N8N);
            case SQL -> checkSql(config, parameters);
            case MCP -> {
                requireIntegration(config, IntegrationKind.MCP);
                String tool = text(config, "tool");
                if (tool == null) {
                    throw new InvalidInput("config.tool (the MCP server's tool name) is required");
                }
                if (description == null || description.isBlank() || parameters == null) {
                    McpServers.McpTool offered = mcpTool(UUID.fromString(text(config, "integration_id")), tool);
                    description = description == null || description.isBlank() ? offered.description() : description;
                    parameters = parameters == null ? json.readTree(offered.parametersSchema()) : parameters;
                }
            }
        }
        checkRetry(type, config);
        JsonNode fields = config.path("response_fields");
        if (!fields.isMissingNode()) {
            if (!fields.isArray() || fields.valueStream().anyMatch(f -> !f.isString() || !f.asString().startsWith("/"))) {
                throw new InvalidInput("config.response_fields must be a list of JSON pointers such as \"/data/status\"");
            }
        }
        if (description == null || description.isBlank()) {
            throw new InvalidInput("description is required: it tells the model when to use the tool");
        }
        return new Checked(description.strip(), schema(parameters), config);
    }

    private void checkHttp(ObjectNode config) {
        String method = text(config, "method");
        if (method == null || !METHODS.contains(method.toUpperCase(java.util.Locale.ROOT))) {
            throw new InvalidInput("config.method must be one of " + METHODS);
        }
        config.put("method", method.toUpperCase(java.util.Locale.ROOT));
        String url = text(config, "url");
        if (url == null) {
            throw new InvalidInput("config.url is required (absolute, or a path under the integration's base_url)");
        }
        boolean absolute = url.matches("(?i)^https?://.*");
        if (absolute) {
            String authority = url.replaceFirst("(?i)^https?://", "").split("[/?#]", 2)[0];
            if (authority.contains("{{")) {
                throw new InvalidInput("config.url: the host must be written out, not a placeholder (the model must never choose where calls go)");
            }
            guard.requireAllowed("config.url", url.replaceAll("\\{\\{[^}]*}}", "x"));
        }
        if (config.has("integration_id") || !absolute) {
            requireIntegration(config, IntegrationKind.HTTP_API);
        }
        if (config.has("headers") && (!config.get("headers").isObject()
                || config.get("headers").valueStream().anyMatch(h -> !h.isString()))) {
            throw new InvalidInput("config.headers must be an object of header name → text template");
        }
        if (config.has("body") && !config.get("body").isString()) {
            throw new InvalidInput("config.body must be a text template (e.g. a JSON document with {{args.x}} placeholders)");
        }
        if (config.has("requires_contact") && !config.get("requires_contact").isBoolean()) {
            throw new InvalidInput("config.requires_contact must be true or false");
        }
    }

    /** A {@code retry} object applies to the HTTP calls of http and n8n tools; its values are checked now. */
    private void checkRetry(ToolType type, ObjectNode config) {
        JsonNode retry = config.get("retry");
        if (retry == null || retry.isNull()) {
            return;
        }
        if (type != ToolType.HTTP && type != ToolType.N8N) {
            throw new InvalidInput("config.retry applies to http and n8n tools only");
        }
        Object settings = retry.isObject() ? json.convertValue(retry, new tools.jackson.core.type.TypeReference<Map<String, Object>>() {
        }) : retry.toString();
        RetryPolicy.configured(settings, type == ToolType.HTTP ? text(config, "method") : "POST", "config.retry");
    }

    private void checkSql(ObjectNode config, JsonNode parameters) {
        requireIntegration(config, IntegrationKind.DATABASE);
        String sql = text(config, "sql");
        ExternalDatabase.requireOneStatement(sql);
        int maxRows = config.path("max_rows").asInt(50);
        if (maxRows < 1 || maxRows > MAX_ROWS) {
            throw new InvalidInput("config.max_rows must be between 1 and " + MAX_ROWS);
        }
        config.put("max_rows", maxRows);
        Set<String> declared = parameters == null ? Set.of() : Set.copyOf(parameters.path("properties").propertyNames());
        List<String> undeclared = NamedParameterUtils.buildSqlParameterList(NamedParameterUtils.parseSqlStatement(sql),
                        new org.springframework.jdbc.core.namedparam.MapSqlParameterSource()).stream()
                .map(org.springframework.jdbc.core.SqlParameter::getName).filter(name -> !declared.contains(name)).distinct().toList();
        if (!undeclared.isEmpty()) {
            throw new InvalidInput("config.sql uses :" + String.join(", :", undeclared) + " which the parameters schema does not declare");
        }
    }

    private void requireIntegration(ObjectNode config, IntegrationKind kind) {
        String id = text(config, "integration_id");
        if (id == null) {
            throw new InvalidInput("config.integration_id (a " + kind.code() + " integration) is required");
        }
        Integration integration;
        try {
            integration = integrations.findOptional(UUID.fromString(id)).orElseThrow(IllegalArgumentException::new);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("config.integration_id " + id + " is not an integration of this organization");
        }
        if (integration.kind() != kind) {
            throw new InvalidInput("config.integration_id names a " + integration.kind().code() + " integration; this tool needs " + kind.code());
        }
    }

    private McpServers.McpTool mcpTool(UUID integrationId, String name) {
        List<McpServers.McpTool> offered;
        try {
            offered = mcp.tools(integrationId);
        } catch (IntegrationCallFailed e) {
            throw new InvalidInput("config.tool: could not list the MCP server's tools: " + e.getMessage());
        }
        return offered.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidInput("config.tool: the MCP server has no tool '" + name + "'; it offers "
                        + offered.stream().map(McpServers.McpTool::name).toList()));
    }

    private String schema(JsonNode parameters) {
        JsonNode schema = parameters == null || parameters.isNull() ? json.readTree("{\"type\":\"object\",\"properties\":{}}") : parameters;
        if (!schema.isObject() || !"object".equals(schema.path("type").asString(""))) {
            throw new InvalidInput("parameters must be a JSON Schema of type object");
        }
        return schema.toString();
    }

    private static String name(String name, String slug) {
        return name == null || name.isBlank() ? slug : name.strip();
    }

    private static String text(JsonNode config, String key) {
        JsonNode value = config.get(key);
        return value == null || value.isNull() || value.asString("").isBlank() ? null : value.asString().strip();
    }

    private RowMapper<Optional<AdminDefinedTool>> rows() {
        return (rs, n) -> ToolType.fromCode(rs.getString("tool_type")).map(type -> {
            try {
                return new AdminDefinedTool(rs.getObject("id", UUID.class), rs.getString("slug"), rs.getString("name"),
                        rs.getString("description"), type, rs.getString("parameters"), json.readTree(rs.getString("config")),
                        rs.getBoolean("enabled"));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static Map<String, String> contactSample(JsonNode contact) {
        Map<String, String> sample = new LinkedHashMap<>();
        if (contact != null && contact.isObject()) {
            contact.properties().forEach(e -> sample.put(e.getKey(), e.getValue().asString("")));
        }
        return sample;
    }
}
