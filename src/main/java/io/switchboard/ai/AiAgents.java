package io.switchboard.ai;

import io.switchboard.database.TenantScope;

import io.switchboard.ai.tools.OrganizationTool;
import io.switchboard.ai.turn.AgentLimits;
import io.switchboard.ai.tools.ToolRegistry;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.NotFound;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The organization's AI agents and the tools assigned to them. Every method works in the caller's tenant scope
 * (row-level security hides other organizations' agents, so they are simply "not found"). Invalid input is
 * refused with a 400 whose message names the field and the allowed values.
 */
@Service
public class AiAgents {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AiAgents.class);

    // current_conversations is counted, not stored: the conversations the agent is answering right now
    private static final String CURRENT_CONVERSATIONS = """
            (select count(*) from conversations c where c.ai_agent_id = ai_agents.id
               and c.organization_id = ai_agents.organization_id and c.status <> 'closed'
               and c.agent_id is null and not c.ai_disabled)""";
    private static final String COLUMNS_BEFORE_LOAD = """
            id, organization_id, name, description, agent_type, prompt, model, temperature, max_tokens, enabled,
            max_conversations, """;
    private static final String COLUMNS_AFTER_LOAD = ", settings::text as settings, created_at, updated_at";
    private static final String COLUMNS = COLUMNS_BEFORE_LOAD + CURRENT_CONVERSATIONS + "::int as current_conversations"
            + COLUMNS_AFTER_LOAD;
    // every inbound message and AI turn reads its agent: the count (which grows with the agent's open
    // conversations) is only needed there to enforce max_conversations
    private static final String COLUMNS_COUNTED_WHEN_LIMITED = COLUMNS_BEFORE_LOAD
            + "case when max_conversations is null then 0 else " + CURRENT_CONVERSATIONS + " end::int as current_conversations"
            + COLUMNS_AFTER_LOAD;
    private static final Pattern AGENT_TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");
    static final String DEFAULT_AGENT_TYPE = "SUPPORT";
    static final String DEFAULT_MODEL = "gpt-4o-mini";
    static final int MAX_TOKENS_LIMIT = 200_000;

    private final JdbcClient jdbc;
    private final ToolRegistry registry;
    private final JsonMapper json;
    private final AgentLimits limits;
    private final AgentCache cache;

    AiAgents(JdbcClient jdbc, ToolRegistry registry, JsonMapper json, AgentLimits limits, AgentCache cache) {
        this.limits = limits;
        this.cache = cache;
        this.jdbc = jdbc;
        this.registry = registry;
        this.json = json;
    }

    /**
     * The agent as a turn or an incoming message needs it: {@link AiAgent#currentConversations()} is counted
     * only when the agent has a {@code max_conversations} to enforce (0 otherwise).
     */
    public Optional<AiAgent> find(UUID id) {
        Optional<UUID> organization = TenantScope.currentOrganization();
        if (organization.isEmpty()) {
            return find(id, COLUMNS_COUNTED_WHEN_LIMITED);
        }
        Optional<AiAgent> kept = cache.agents.get(organization.get(), id, () -> find(id, COLUMNS_COUNTED_WHEN_LIMITED));
        // an agent with a conversation limit carries a live count of its conversations: that is read every time
        return kept.isPresent() && kept.get().maxConversations() != null ? find(id, COLUMNS_COUNTED_WHEN_LIMITED) : kept;
    }

    private Optional<AiAgent> find(UUID id, String columns) {
        return jdbc.sql("select " + columns + " from ai_agents where id = ?").param(id).query(this::row).optional()
                .map(agent -> withTools(agent, toolsOf(List.of(agent.id())).getOrDefault(agent.id(), List.of())));
    }

    /**
     * Whether distribution may give the agent conversations now: it exists, is enabled and none of its request
     * or spending limits is exhausted (a conversation it cannot answer would only be handed over again).
     */
    public boolean mayTakeConversations(UUID id) {
        return find(id).filter(AiAgent::enabled).map(agent -> limits.refusal(agent).isEmpty()).orElse(false);
    }

    /** The agent, or 404 (also for another organization's agent). */
    public AiAgent get(UUID id) {
        return find(id, COLUMNS).orElseThrow(() -> new NotFound("AI agent " + id + " not found"));
    }

    /** All agents of the organization, by name. */
    public List<AiAgent> list() {
        List<AiAgent> agents = jdbc.sql("select " + COLUMNS + " from ai_agents order by lower(name), created_at")
                .query(this::row).list();
        Map<UUID, List<AgentTool>> tools = toolsOf(agents.stream().map(AiAgent::id).toList());
        return agents.stream().map(agent -> withTools(agent, tools.getOrDefault(agent.id(), List.of()))).toList();
    }

    @Transactional
    public AiAgent create(UUID organizationId, AiAgentDraft draft) {
        String name = requiredName(draft.name());
        AgentSettings settings = settings(draft.settings());
        UUID id = jdbc.sql("""
                        insert into ai_agents (organization_id, name, description, agent_type, prompt, model, temperature,
                                               max_tokens, enabled, max_conversations, settings)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) returning id""")
                .params(organizationId, name, blankToNull(draft.description()),
                        agentType(draft.agentType() == null ? DEFAULT_AGENT_TYPE : draft.agentType()),
                        draft.prompt() == null ? "" : draft.prompt(),
                        model(draft.model() == null ? DEFAULT_MODEL : draft.model()),
                        temperature(draft.temperature() == null ? 0.7 : draft.temperature()),
                        maxTokens(draft.maxTokens() == null ? 1000 : draft.maxTokens()),
                        draft.enabled() == null || draft.enabled(),
                        maxConversations(draft.maxConversations()),
                        settings.raw().toString())
                .query(UUID.class).single();
        if (draft.tools() != null) {
            assignTools(organizationId, id, draft.tools());
        }
        cache.changed(organizationId);
        return get(id);
    }

    @Transactional
    public AiAgent update(UUID id, AiAgentDraft draft) {
        AiAgent changed = merged(get(id), draft);
        jdbc.sql("""
                        update ai_agents set name = ?, description = ?, agent_type = ?, prompt = ?, model = ?,
                               temperature = ?, max_tokens = ?, enabled = ?, max_conversations = ?, settings = ?::jsonb,
                               updated_at = now()
                        where id = ?""")
                .params(changed.name(), changed.description(), changed.agentType(), changed.prompt(), changed.model(),
                        changed.temperature(), changed.maxTokens(), changed.enabled(), changed.maxConversations(),
                        changed.settings().raw().toString(), id)
                .update();
        if (draft.tools() != null) {
            assignTools(changed.organizationId(), id, draft.tools());
        }
        cache.changed(changed.organizationId());
        return get(id);
    }

    /**
     * The agent as it would be with {@code draft} applied — validated exactly as {@link #update} validates it —
     * without saving anything: what a rehearsal of a draft configuration runs with.
     */
    public AiAgent preview(UUID id, AiAgentDraft draft) {
        AiAgent changed = merged(get(id), draft);
        if (draft.tools() == null) {
            return changed;
        }
        Set<String> seen = new HashSet<>();
        for (AgentTool tool : draft.tools()) {
            if (tool == null || tool.slug() == null || tool.slug().isBlank()) {
                throw badRequest("tools: every tool needs a 'slug'");
            }
            if (registry.find(changed.organizationId(), tool.slug()).isEmpty()) {
                throw registry.unknownTool(tool.slug());
            }
            if (!seen.add(tool.slug())) {
                throw badRequest("tools: '" + tool.slug() + "' is listed twice");
            }
        }
        return withTools(changed, draft.tools());
    }

    private AiAgent merged(AiAgent current, AiAgentDraft draft) {
        AgentSettings settings = draft.settings() == null ? current.settings()
                : settings(mergePatch(current.settings().raw(), draft.settings()));
        return new AiAgent(current.id(), current.organizationId(),
                draft.name() == null ? current.name() : requiredName(draft.name()),
                draft.description() == null ? current.description() : blankToNull(draft.description()),
                draft.agentType() == null ? current.agentType() : agentType(draft.agentType()),
                draft.prompt() == null ? current.prompt() : draft.prompt(),
                draft.model() == null ? current.model() : model(draft.model()),
                draft.temperature() == null ? current.temperature() : temperature(draft.temperature()),
                draft.maxTokens() == null ? current.maxTokens() : maxTokens(draft.maxTokens()),
                draft.enabled() == null ? current.enabled() : draft.enabled(),
                draft.maxConversations() == null ? current.maxConversations() : maxConversations(draft.maxConversations()),
                current.currentConversations(), settings, current.tools(), current.createdAt(), current.updatedAt());
    }

    /**
     * Deletes an agent that never handled a conversation. One with history is refused (409): deleting it would
     * erase its conversations' cost and token records; disable it instead.
     */
    @Transactional
    public void delete(UUID id) {
        get(id);
        long handled = jdbc.sql("select count(*) from ai_conversations where ai_agent_id = ?").param(id)
                .query(Long.class).single();
        if (handled > 0) {
            throw new Conflict("this AI agent has handled " + handled
                    + " conversation(s); deleting it would erase their cost and token history. Disable it instead "
                    + "(enabled: false)");
        }
        jdbc.sql("delete from ai_agents where id = ?").param(id).update();
        cache.changed(TenantScope.requireOrganization());
    }

    /**
     * The tools the agent may call now, with its configuration of each: assigned and enabled for the agent,
     * enabled in the organization, and implemented by this application. Empty for an unknown agent.
     */
    public List<AssignedTool> assignedTools(UUID agentId) {
        Optional<UUID> organization = TenantScope.currentOrganization();
        return toolsFrom(organization.isEmpty() ? readToolRows(agentId)
                : cache.tools.get(organization.get(), agentId, () -> readToolRows(agentId)));
    }

    /** What {@link #assignedTools} reads: the handlers are looked up on each call (admin-defined ones read their definition). */
    record ToolRow(UUID organizationId, String slug, String config) {
    }

    private List<AssignedTool> toolsFrom(List<ToolRow> rows) {
        return rows.stream()
                .flatMap(row -> registry.find(row.organizationId(), row.slug())
                        .map(handler -> new AssignedTool(handler, parse(row.config()))).stream())
                .toList();
    }

    private List<ToolRow> readToolRows(UUID agentId) {
        return jdbc.sql("""
                        select t.organization_id, t.slug, at.config::text as config from ai_agent_tools at
                        join ai_tools t on t.id = at.ai_tool_id
                        where at.ai_agent_id = ? and at.enabled and t.enabled order by t.slug""")
                .param(agentId)
                .query((rs, n) -> new ToolRow(rs.getObject("organization_id", UUID.class), rs.getString("slug"), rs.getString("config")))
                .list();
    }

    private void assignTools(UUID organizationId, UUID agentId, List<AgentTool> tools) {
        Map<String, UUID> toolIds = registry.organizationTools(organizationId).stream()
                .collect(Collectors.toMap(OrganizationTool::slug, OrganizationTool::id));
        Set<String> seen = new HashSet<>();
        for (AgentTool tool : tools) {
            if (tool == null || tool.slug() == null || tool.slug().isBlank()) {
                throw badRequest("tools: every tool needs a 'slug'");
            }
            if (!toolIds.containsKey(tool.slug())) {
                throw registry.unknownTool(tool.slug());
            }
            if (!seen.add(tool.slug())) {
                throw badRequest("tools: '" + tool.slug() + "' is listed twice");
            }
            if (tool.config() != null && !tool.config().isNull() && !tool.config().isObject()) {
                throw badRequest("tools: the config of '" + tool.slug() + "' must be a JSON object");
            }
        }
        jdbc.sql("delete from ai_agent_tools where ai_agent_id = ?").param(agentId).update();
        for (AgentTool tool : tools) {
            jdbc.sql("""
                    insert into ai_agent_tools (organization_id, ai_agent_id, ai_tool_id, config, enabled)
                    values (?, ?, ?, ?::jsonb, ?)""")
                    .params(organizationId, agentId, toolIds.get(tool.slug()),
                            tool.config() == null || tool.config().isNull() ? "{}" : tool.config().toString(), tool.enabled())
                    .update();
        }
    }

    private Map<UUID, List<AgentTool>> toolsOf(List<UUID> agentIds) {
        if (agentIds.isEmpty()) {
            return Map.of();
        }
        Map<UUID, List<AgentTool>> byAgent = new LinkedHashMap<>();
        jdbc.sql("""
                        select at.ai_agent_id, t.slug, at.config::text as config, at.enabled from ai_agent_tools at
                        join ai_tools t on t.id = at.ai_tool_id where at.ai_agent_id = any(?) order by t.slug""")
                .param(agentIds.toArray(UUID[]::new))
                .query(rs -> {
                    byAgent.computeIfAbsent(rs.getObject("ai_agent_id", UUID.class), k -> new ArrayList<>())
                            .add(new AgentTool(rs.getString("slug"), parse(rs.getString("config")), rs.getBoolean("enabled")));
                });
        return byAgent;
    }

    private AiAgent row(ResultSet rs, int rowNumber) throws SQLException {
        BigDecimal temperature = rs.getBigDecimal("temperature");
        Integer maxConversations = (Integer) rs.getObject("max_conversations");
        return new AiAgent(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getString("name"), rs.getString("description"), rs.getString("agent_type"), rs.getString("prompt"),
                rs.getString("model"), temperature.doubleValue(), rs.getInt("max_tokens"), rs.getBoolean("enabled"),
                maxConversations, rs.getInt("current_conversations"),
                storedSettings(rs.getObject("id", UUID.class), parse(rs.getString("settings"))), List.of(),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    /**
     * Settings as stored. Values this version refuses (written by hand or by another version) must not make the
     * agent unreadable: the defaults apply and the raw JSON is kept for an administrator to fix.
     */
    private static AgentSettings storedSettings(UUID agentId, JsonNode raw) {
        try {
            return AgentSettings.from(raw);
        } catch (IllegalArgumentException e) {
            log.warn("AI agent {} has invalid settings, using defaults until they are fixed: {}", agentId, e.getMessage());
            AgentSettings d = AgentSettings.defaults();
            return new AgentSettings(d.responseDelayMin(), d.responseDelayMax(), d.contextTimerSeconds(), d.welcomeMessage(),
                    d.historyLimit(), d.turnTimeoutSeconds(), d.maxToolRounds(), d.preferTools(), d.faq(),
                    d.fallbackMessage(), d.escalation(), d.rateLimits(), d.costLimits(), raw);
        }
    }

    private static AiAgent withTools(AiAgent agent, List<AgentTool> tools) {
        return new AiAgent(agent.id(), agent.organizationId(), agent.name(), agent.description(), agent.agentType(),
                agent.prompt(), agent.model(), agent.temperature(), agent.maxTokens(), agent.enabled(),
                agent.maxConversations(), agent.currentConversations(), agent.settings(), List.copyOf(tools),
                agent.createdAt(), agent.updatedAt());
    }

    private JsonNode parse(String text) {
        return text == null ? json.createObjectNode() : json.readTree(text);
    }

    private AgentSettings settings(JsonNode raw) {
        try {
            return AgentSettings.from(raw);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
    }

    /** RFC 7396: objects merge key by key, null removes a key, anything else replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode merged = target != null && target.isObject() ? (ObjectNode) target.deepCopy()
                : tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            if (field.getValue().isNull()) {
                merged.remove(field.getKey());
            } else {
                merged.set(field.getKey(), mergePatch(merged.get(field.getKey()), field.getValue()));
            }
        }
        return merged;
    }

    private static String requiredName(String name) {
        if (name == null || name.isBlank()) {
            throw badRequest("name is required");
        }
        if (name.trim().length() > 200) {
            throw badRequest("name must have at most 200 characters");
        }
        return name.trim();
    }

    private static String agentType(String type) {
        String normalized = type.trim().toUpperCase().replaceAll("[\\s-]+", "_");
        if (!AGENT_TYPE.matcher(normalized).matches()) {
            throw badRequest("agent_type must be a word in upper case such as SDR, CS, CLOSER or SUPPORT "
                    + "(letters, digits and _, at most 40), was '" + type + "'");
        }
        return normalized;
    }

    private static String model(String model) {
        if (model.isBlank() || model.length() > 200) {
            throw badRequest("model must be a model name such as gpt-4o-mini");
        }
        return model.trim();
    }

    private static double temperature(double temperature) {
        if (Double.isNaN(temperature) || temperature < 0 || temperature > 2) {
            throw badRequest("temperature must be between 0 and 2 (was " + temperature + ")");
        }
        return temperature;
    }

    private static int maxTokens(int maxTokens) {
        if (maxTokens <= 0 || maxTokens > MAX_TOKENS_LIMIT) {
            throw badRequest("max_tokens must be greater than 0 and at most " + MAX_TOKENS_LIMIT + " (was " + maxTokens + ")");
        }
        return maxTokens;
    }

    /** 0 or null: no limit. */
    private static Integer maxConversations(Integer maxConversations) {
        if (maxConversations == null || maxConversations == 0) {
            return null;
        }
        if (maxConversations < 0) {
            throw badRequest("max_conversations must not be negative (was " + maxConversations + "); use 0 for no limit");
        }
        return maxConversations;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static InvalidInput badRequest(String message) {
        return new InvalidInput(message);
    }
}
