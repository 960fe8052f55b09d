package io.switchboard.rehearsal;

import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.ai.Rehearsals;
import io.switchboard.refusal.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Agent tests over the API (administrators): {@code /api/v1/test_scenarios} (with import and export as YAML or
 * JSON), replaying a conversation as a scenario, {@code /api/v1/test_runs} (durable, with progress, results,
 * and the publish gate) and one playground turn ({@code POST /api/v1/ai_agents/{id}/rehearse}).
 */
@RestController
@RequestMapping("/api/v1")
@PreAuthorize("hasRole('ADMIN')")
class RehearsalApi {

    static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    private final Scenarios scenarios;
    private final TestRuns runs;
    private final Playground playground;
    private final JsonMapper json;

    RehearsalApi(Scenarios scenarios, TestRuns runs, Playground playground, JsonMapper json) {
        this.scenarios = scenarios;
        this.runs = runs;
        this.playground = playground;
        this.json = json;
    }

    /** A page of a list in the API's paged shape; {@code next_cursor} is the next position. */
    record Page<T>(List<T> items, String nextCursor) {

        static <T> Page<T> of(List<T> all, int limit, String cursor) {
            if (limit < 1 || limit > 500) {
                throw new InvalidInput("limit must be between 1 and 500");
            }
            int from;
            try {
                from = cursor == null || cursor.isBlank() ? 0 : Integer.parseInt(cursor);
            } catch (NumberFormatException e) {
                from = -1;
            }
            if (from < 0) {
                throw new InvalidInput("cursor '" + cursor + "' is not one this API returned");
            }
            int to = Math.min(all.size(), from + limit);
            return new Page<>(from >= all.size() ? List.of() : all.subList(from, to), to < all.size() ? Integer.toString(to) : null);
        }
    }

    @GetMapping("/test_scenarios")
    Page<Scenario> list(@RequestParam(name = "ai_agent_id", required = false) UUID aiAgentId,
                        @RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) String cursor) {
        return Page.of(scenarios.list(aiAgentId), limit, cursor);
    }

    @PostMapping("/test_scenarios")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a scenario of an AI agent: name, turns (customer messages), fixtures (canned tool results) and expect")
    Scenario create(@RequestBody ObjectNode body) {
        UUID agentId = agentId(body);
        body.remove("ai_agent_id");
        return scenarios.save(agentId, body, null, null, false);
    }

    @GetMapping("/test_scenarios/{id}")
    Scenario get(@PathVariable UUID id) {
        return scenarios.get(id);
    }

    @PutMapping("/test_scenarios/{id}")
    @Operation(summary = "Replace a scenario's definition (the baseline of a replay is kept)")
    Scenario update(@PathVariable UUID id, @RequestBody ObjectNode body) {
        body.remove("ai_agent_id");
        return scenarios.update(id, body);
    }

    @DeleteMapping("/test_scenarios/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id) {
        scenarios.delete(id);
    }

    @PostMapping(path = "/test_scenarios/import", consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain",
            "application/json"})
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Import scenarios of an agent from a YAML or JSON file (several YAML documents or a list); "
            + "replace=true overwrites scenarios of the same name")
    Page<Scenario> importFile(@RequestParam(name = "ai_agent_id") UUID aiAgentId,
                              @RequestParam(defaultValue = "false") boolean replace, @RequestBody String file) {
        List<JsonNode> found = ScenarioFiles.read(file, json);
        List<Scenario> imported = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            JsonNode definition = found.get(i);
            if (!definition.isObject()) {
                throw new InvalidInput("scenario " + (i + 1) + " of the file is not an object");
            }
            try {
                imported.add(scenarios.save(aiAgentId, definition,
                        definition.path("baseline").isObject() ? definition.get("baseline") : null, null, replace));
            } catch (InvalidInput e) {
                throw new InvalidInput("scenario " + (i + 1) + " of the file: " + e.getMessage());
            }
        }
        return new Page<>(imported, null);
    }

    @GetMapping("/test_scenarios/export")
    @Operation(summary = "Export an agent's scenarios as one YAML file (format=yaml, several documents) or a JSON list")
    ResponseEntity<String> export(@RequestParam(name = "ai_agent_id") UUID aiAgentId,
                                  @RequestParam(defaultValue = "yaml") String format) {
        return file(scenarios.list(aiAgentId).stream().map(scenarios::exported).toList(), format, "scenarios");
    }

    @GetMapping("/test_scenarios/{id}/export")
    ResponseEntity<String> exportOne(@PathVariable UUID id, @RequestParam(defaultValue = "yaml") String format) {
        Scenario scenario = scenarios.get(id);
        return file(List.of(scenarios.exported(scenario)), format, "scenario");
    }

    record ReplayBody(String name) {
    }

    @PostMapping("/conversations/{id}/replay_as_test_scenario")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Turn a real conversation into a scenario of its AI agent: customer messages become turns, recorded "
            + "tool results fixtures, the original answers and outcome the baseline")
    Scenario replay(@PathVariable UUID id, @RequestBody(required = false) ReplayBody body) {
        return scenarios.replay(id, body == null ? null : body.name());
    }

    record RunBody(UUID aiAgentId, JsonNode draft, List<UUID> scenarioIds, List<JsonNode> scenarios, Integer repeat,
                   Boolean publishIfPassed) {
    }

    @PostMapping("/test_runs")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Run an agent's scenarios (all, scenario_ids, or inline scenarios) against its configuration or a draft, "
            + "repeat times (pass^k); a durable job — poll GET /test_runs/{id}")
    TestRuns.Run start(@RequestBody RunBody body) {
        if (body == null || body.aiAgentId() == null) {
            throw new InvalidInput("ai_agent_id is required");
        }
        return runs.start(body.aiAgentId(), body.draft(), body.scenarioIds(), body.scenarios(),
                body.repeat() == null ? 1 : body.repeat(), Boolean.TRUE.equals(body.publishIfPassed()));
    }

    @GetMapping("/test_runs")
    Page<TestRuns.Run> runs(@RequestParam(name = "ai_agent_id", required = false) UUID aiAgentId,
                            @RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) String cursor) {
        return Page.of(runs.list(aiAgentId, 500), limit, cursor);
    }

    @GetMapping("/test_runs/{id}")
    TestRuns.Run run(@PathVariable UUID id) {
        return runs.get(id);
    }

    @GetMapping("/test_runs/{id}/results")
    Page<TestRuns.Attempt> results(@PathVariable UUID id, @RequestParam(defaultValue = "100") int limit,
                                   @RequestParam(required = false) String cursor) {
        return Page.of(runs.attempts(id), limit, cursor);
    }

    @PostMapping("/test_runs/{id}/publish")
    @Operation(summary = "Publish the run's draft to the agent; refused (409) unless the run passed")
    TestRuns.Run publish(@PathVariable UUID id) {
        return runs.publish(id);
    }

    record RehearseBody(JsonNode draft, List<Rehearsals.Exchange> earlier, String message, JsonNode fixtures) {
    }

    @PostMapping("/ai_agents/{id}/rehearse")
    @Operation(summary = "One playground turn: the agent (or a draft) answers a message after earlier exchanges, tools "
            + "answered by fixtures; returns the answer, tool calls, context, tokens and cost. Nothing is stored or sent")
    Rehearsals.TurnResult rehearse(@PathVariable UUID id, @RequestBody RehearseBody body) {
        if (body == null || body.message() == null || body.message().isBlank()) {
            throw new InvalidInput("message is required");
        }
        return playground.say(id, body.draft(), body.earlier() == null ? List.of() : body.earlier(), body.message(), body.fixtures());
    }

    private ResponseEntity<String> file(List<Map<String, Object>> exported, String format, String name) {
        boolean yaml = !"json".equalsIgnoreCase(format);
        if (!yaml && !"json".equalsIgnoreCase(format)) {
            throw new InvalidInput("format must be yaml or json");
        }
        String body = yaml ? ScenarioFiles.yaml(exported)
                : json.writerWithDefaultPrettyPrinter().writeValueAsString(exported.size() == 1 && name.equals("scenario") ? exported.get(0) : exported);
        return ResponseEntity.ok()
                .contentType(yaml ? new MediaType(YAML, StandardCharsets.UTF_8) : MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + (yaml ? ".yaml" : ".json") + "\"")
                .body(body);
    }

    private static UUID agentId(ObjectNode body) {
        JsonNode id = body.get("ai_agent_id");
        if (id == null || id.isNull()) {
            throw new InvalidInput("ai_agent_id is required");
        }
        try {
            return UUID.fromString(id.asString());
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("ai_agent_id must be a UUID (was '" + id.asString() + "')");
        }
    }
}
