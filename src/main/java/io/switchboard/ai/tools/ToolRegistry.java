package io.switchboard.ai.tools;

import io.switchboard.database.RecordRows;
import io.switchboard.ai.AgentCache;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import io.switchboard.refusal.InvalidInput;

/**
 * Every tool the application knows (each {@link ToolHandler} bean), and each organization's copy of them in
 * {@code ai_tools}. The copies are created lazily — when an organization first assigns or lists tools — so a
 * new tool appears for everyone on the next deploy without a data migration; an organization can switch a
 * tool off for all its agents.
 *
 * <p>{@link #invoke} is how a turn runs a tool: arguments validated against the schema first, and a failing
 * tool becomes a failed result the model can read, never an exception that ends the turn.
 */
@Component
public class ToolRegistry {

    private static final Logger log = LoggerFactory.getLogger(ToolRegistry.class);

    private final Map<String, ToolHandler> handlers;
    private final JdbcClient jdbc;
    private final AdminDefinedTools adminDefined;
    private final AgentCache agents;
    private final ToolArguments arguments = new ToolArguments();

    ToolRegistry(List<ToolHandler> handlers, JdbcClient jdbc, AdminDefinedTools adminDefined, AgentCache agents) {
        this.jdbc = jdbc;
        this.agents = agents;
        this.adminDefined = adminDefined;
        this.handlers = handlers.stream().sorted(Comparator.comparing(ToolHandler::slug))
                .collect(Collectors.toMap(ToolHandler::slug, Function.identity(), (a, b) -> {
                    throw new IllegalStateException("two tool handlers share the slug '" + a.slug() + "': "
                            + a.getClass().getName() + " and " + b.getClass().getName());
                }, LinkedHashMap::new));
        // a schema that does not parse would only surface on the first call; fail at startup instead
        this.handlers.values().forEach(h -> arguments.validate(h.parametersSchema(), "{}"));
    }

    public Optional<ToolHandler> find(String slug) {
        return Optional.ofNullable(slug == null ? null : handlers.get(slug));
    }

    /** A built-in tool, or one the organization defined (HTTP, n8n, SQL, MCP). */
    public Optional<ToolHandler> find(UUID organizationId, String slug) {
        return find(slug).or(() -> slug == null ? Optional.empty() : adminDefined.handler(organizationId, slug));
    }

    /** All built-in tools, ordered by slug. */
    public List<ToolHandler> all() {
        return List.copyOf(handlers.values());
    }

    public Collection<String> slugs() {
        return handlers.keySet();
    }

    /**
     * The current organization's tools — built-in ones and those it defined — creating or refreshing its {@code ai_tools} rows from the handlers
     * (name, description and schema follow the code; the organization's {@code enabled} switch and config are
     * kept). Only tools the application still has are returned.
     */
    public List<OrganizationTool> organizationTools(UUID organizationId) {
        for (ToolHandler handler : handlers.values()) {
            jdbc.sql("""
                    insert into ai_tools (organization_id, slug, name, description, tool_type, parameters)
                    values (?, ?, ?, ?, 'system', ?::jsonb)
                    on conflict (organization_id, slug) do update
                       set name = excluded.name, description = excluded.description, parameters = excluded.parameters
                       where (ai_tools.name, ai_tools.description, ai_tools.parameters)
                             is distinct from (excluded.name, excluded.description, excluded.parameters)""")
                    .params(organizationId, handler.slug(), displayName(handler.slug()), handler.description(),
                            handler.parametersSchema())
                    .update();
        }
        return jdbc.sql("select id, slug, name, description, tool_type, enabled from ai_tools where organization_id = ? order by slug")
                .param(organizationId).query(RecordRows.of(OrganizationTool.class)).list().stream()
                .filter(tool -> handlers.containsKey(tool.slug()) || !"system".equals(tool.toolType()))
                .toList();
    }

    /** Switches a tool on or off for every agent of the organization. */
    public OrganizationTool setEnabled(UUID organizationId, String slug, boolean enabled) {
        if (organizationTools(organizationId).stream().noneMatch(t -> t.slug().equals(slug))) {
            throw unknownTool(slug);
        }
        jdbc.sql("update ai_tools set enabled = ? where organization_id = ? and slug = ?").params(enabled, organizationId, slug).update();
        agents.changed(organizationId);
        return organizationTools(organizationId).stream().filter(t -> t.slug().equals(slug)).findFirst().orElseThrow();
    }

    /** The 400 for a slug no handler answers to, listing what exists so the caller can fix it. */
    public InvalidInput unknownTool(String slug) {
        return new InvalidInput(
                "unknown tool '" + slug + "'; available: " + String.join(", ", handlers.keySet()));
    }

    /**
     * Runs a tool for a model's call: validates {@code argumentsJson} against the tool's schema, then
     * executes it. Never throws: invalid arguments and failures come back as a failed result whose content
     * tells the model what went wrong.
     */
    public ToolResult invoke(ToolHandler handler, ToolContext context, String argumentsJson) {
        ToolArguments.Validation validation = arguments.validate(handler.parametersSchema(), argumentsJson);
        if (!validation.valid()) {
            return ToolResult.failed("invalid arguments for " + handler.slug() + ": " + validation.error());
        }
        try {
            ToolResult result = handler.execute(context, validation.arguments());
            return result != null ? result : ToolResult.failed(handler.slug() + " returned nothing");
        } catch (RuntimeException e) {
            log.warn("Tool {} failed in conversation {}", handler.slug(), context.conversationId(), e);
            return ToolResult.failed("the tool " + handler.slug() + " failed with an internal error; do not retry it, "
                    + "tell the customer a person will follow up if needed");
        }
    }

    private static String displayName(String slug) {
        String spaced = slug.replace('_', ' ');
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
