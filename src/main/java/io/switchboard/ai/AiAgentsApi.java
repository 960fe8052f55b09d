package io.switchboard.ai;

import io.switchboard.database.TenantScope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code /api/v1/ai_agents}: administrators configure AI agents, agents may look at them. The body is read
 * field by field so a wrong type or a misspelt field gets a 400 naming it, rather than being ignored.
 * {@code tools} accepts slugs ({@code ["adicionar_tag"]}) or objects ({@code [{"slug": ..., "config": {...},
 * "enabled": true}]}).
 */
@RestController
@RequestMapping("/api/v1/ai_agents")
class AiAgentsApi {

    private static final Set<String> FIELDS = Set.of("name", "description", "agent_type", "prompt", "model",
            "temperature", "max_tokens", "enabled", "max_conversations", "settings", "tools");
    /** What a client that read an agent may send back unchanged; never written. */
    private static final Set<String> READ_ONLY = Set.of("id", "organization_id", "current_conversations", "created_at",
            "updated_at");

    private final AiAgents agents;
    private final JsonMapper json;

    AiAgentsApi(AiAgents agents, JsonMapper json) {
        this.agents = agents;
        this.json = json;
    }

    record AiAgentView(UUID id, String name, String description, String agentType, String prompt, String model,
                       double temperature, int maxTokens, boolean enabled, Integer maxConversations,
                       int currentConversations, JsonNode settings, List<AgentTool> tools, Instant createdAt,
                       Instant updatedAt) {
    }

    @GetMapping
    @PreAuthorize("hasRole('AGENT')")
    List<AiAgentView> list() {
        return agents.list().stream().map(this::view).toList();
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasRole('AGENT')")
    AiAgentView get(@PathVariable UUID id) {
        return view(agents.get(id));
    }

    @PostMapping
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.CREATED)
    AiAgentView create(@RequestBody JsonNode body) {
        return view(agents.create(TenantScope.requireOrganization(), draft(body)));
    }

    @PatchMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    AiAgentView update(@PathVariable UUID id, @RequestBody JsonNode body) {
        return view(agents.update(id, draft(body)));
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id) {
        agents.delete(id);
    }

    private AiAgentView view(AiAgent agent) {
        return new AiAgentView(agent.id(), agent.name(), agent.description(), agent.agentType(), agent.prompt(),
                agent.model(), agent.temperature(), agent.maxTokens(), agent.enabled(), agent.maxConversations(),
                agent.currentConversations(), agent.settings().toJson(json), agent.tools(), agent.createdAt(),
                agent.updatedAt());
    }

    private static AiAgentDraft draft(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw badRequest("the body must be a JSON object");
        }
        for (String field : body.propertyNames()) {
            if (!FIELDS.contains(field) && !READ_ONLY.contains(field)) {
                throw badRequest("unexpected field '" + field + "'; allowed: " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        JsonNode maxConversations = body.get("max_conversations");
        return new AiAgentDraft(text(body, "name"), text(body, "description"), text(body, "agent_type"),
                text(body, "prompt"), text(body, "model"), number(body, "temperature"), integer(body, "max_tokens"),
                bool(body, "enabled"),
                // an explicit null removes the limit, like 0
                maxConversations != null && maxConversations.isNull() ? Integer.valueOf(0) : integer(body, "max_conversations"),
                settings(body), tools(body.get("tools")));
    }

    private static JsonNode settings(JsonNode body) {
        JsonNode settings = body.get("settings");
        if (settings == null || settings.isNull()) {
            return null;
        }
        if (!settings.isObject()) {
            throw badRequest("settings must be a JSON object");
        }
        return settings;
    }

    private static List<AgentTool> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return null;
        }
        if (!tools.isArray()) {
            throw badRequest("tools must be an array of tool slugs or of {\"slug\", \"config\", \"enabled\"} objects");
        }
        List<AgentTool> result = new ArrayList<>();
        int index = 0;
        for (JsonNode tool : tools.values()) {
            String at = "tools[" + index++ + "]";
            if (tool.isString()) {
                result.add(new AgentTool(tool.asString().trim(), JsonNodeFactory.instance.objectNode(), true));
            } else if (tool.isObject()) {
                for (String field : tool.propertyNames()) {
                    if (!Set.of("slug", "config", "enabled").contains(field)) {
                        throw badRequest(at + ": unexpected field '" + field + "'; allowed: slug, config, enabled");
                    }
                }
                String slug = text(tool, "slug");
                if (slug == null || slug.isBlank()) {
                    throw badRequest(at + ".slug is required");
                }
                JsonNode config = tool.get("config");
                if (config != null && !config.isNull() && !config.isObject()) {
                    throw badRequest(at + ".config must be a JSON object");
                }
                Boolean enabled = bool(tool, "enabled");
                result.add(new AgentTool(slug.trim(), config == null || config.isNull()
                        ? JsonNodeFactory.instance.objectNode() : config, enabled == null || enabled));
            } else {
                throw badRequest(at + " must be a tool slug or an object with 'slug'");
            }
        }
        return result;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw badRequest(field + " must be a string");
        }
        return value.asString();
    }

    private static Double number(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw badRequest(field + " must be a number");
        }
        return value.doubleValue();
    }

    private static Integer integer(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToInt()) {
            throw badRequest(field + " must be a whole number");
        }
        return value.asInt();
    }

    private static Boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw badRequest(field + " must be true or false");
        }
        return value.booleanValue();
    }

    private static ResponseStatusException badRequest(String message) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, message);
    }

}
