package io.switchboard.rehearsal;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgentDraft;
import io.switchboard.ai.AiAgents;
import io.switchboard.database.DueJobs;
import io.switchboard.database.TenantScope;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * Suites: an agent's scenarios (all, some, or given inline by the command line) run against its stored
 * configuration or a draft, each {@code repeat} times (pass^k for live models), as one durable job that resumes
 * where it stopped after a crash and reports its progress as it goes. A run created with
 * {@code publish_if_passed} publishes its draft only when every scenario passed every time — the gate.
 */
@Service
class TestRuns {

    private static final Logger log = LoggerFactory.getLogger(TestRuns.class);
    static final TaskDescriptor<RunOrder> TASK = TaskDescriptor.of("agent-test-run", RunOrder.class);
    static final int MAX_SCENARIOS = 200;

    record RunOrder(UUID organizationId, UUID runId) implements Serializable {
    }

    enum Status {
        QUEUED, RUNNING, PASSED, FAILED, ERROR;

        @com.fasterxml.jackson.annotation.JsonValue
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean finished() {
            return this == PASSED || this == FAILED || this == ERROR;
        }
    }

    /**
     * A run and its figures so far: scenarios that passed every attempt, pass^k (their share), pass@1 (the share of
     * attempts that passed), total tokens and cost (null: some model's price is unknown).
     */
    record Run(UUID id, UUID aiAgentId, JsonNode draft, int repeat, boolean publishIfPassed, Status status, int scenarios,
               int total, int done, int scenariosPassed, Double passHatK, Double passAt1, long tokens, BigDecimal costUsd,
               long durationMs, String error, Instant publishedAt, Instant createdAt, Instant startedAt, Instant finishedAt) {
    }

    /** One attempt of one scenario. */
    record Attempt(int position, int attempt, UUID scenarioId, String name, boolean passed, JsonNode report, long tokens,
                   BigDecimal costUsd, long durationMs) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AiAgents agents;
    private final Scenarios scenarios;
    private final ScenarioRunner runner;
    private final SchedulerClient scheduler;
    private final DueJobs dueJobs;

    TestRuns(JdbcClient jdbc, JsonMapper json, AiAgents agents, Scenarios scenarios, ScenarioRunner runner,
             @Lazy SchedulerClient scheduler, DueJobs dueJobs) {
        this.jdbc = jdbc;
        this.json = json;
        this.agents = agents;
        this.scenarios = scenarios;
        this.runner = runner;
        this.scheduler = scheduler;
        this.dueJobs = dueJobs;
    }

    /**
     * Starts a run of the agent's scenarios: {@code scenarioIds} (null: all of them) or {@code inline} definitions
     * (not stored: what the command line sends), against {@code draft} (null: the agent as stored).
     */
    @Transactional
    Run start(UUID aiAgentId, JsonNode draft, List<UUID> scenarioIds, List<JsonNode> inline, int repeat, boolean publishIfPassed) {
        AiAgent agent = agents.get(aiAgentId);
        if (draft != null && !draft.isNull()) {
            agents.preview(aiAgentId, draftOf(draft)); // refuses an invalid draft now, not in the job
        } else {
            draft = null;
        }
        if (repeat < 1 || repeat > 10) {
            throw new InvalidInput("repeat must be between 1 and 10 (was " + repeat + ")");
        }
        if (publishIfPassed && draft == null) {
            throw new InvalidInput("publish_if_passed needs a draft to publish");
        }
        ArrayNode planned = json.createArrayNode();
        if (inline != null && !inline.isEmpty()) {
            for (int i = 0; i < inline.size(); i++) {
                ScenarioDefinition parsed;
                try {
                    parsed = ScenarioDefinition.parse(inline.get(i));
                } catch (InvalidInput e) {
                    throw new InvalidInput("scenarios[" + i + "]: " + e.getMessage());
                }
                var entry = planned.addObject();
                entry.put("name", parsed.name());
                entry.set("definition", inline.get(i));
                entry.set("baseline", inline.get(i).path("baseline").isObject() ? inline.get(i).get("baseline") : null);
            }
        } else {
            List<Scenario> chosen = scenarioIds == null ? scenarios.list(aiAgentId)
                    : scenarioIds.stream().map(scenarios::get).toList();
            for (Scenario s : chosen) {
                if (!s.aiAgentId().equals(aiAgentId)) {
                    throw new InvalidInput("scenario " + s.id() + " belongs to another AI agent");
                }
                var entry = planned.addObject();
                entry.put("scenario_id", s.id().toString());
                entry.put("name", s.name());
                entry.set("definition", s.definition());
                entry.set("baseline", s.baseline());
            }
        }
        if (planned.isEmpty()) {
            throw new InvalidInput("nothing to run: the agent has no scenarios yet (create one, import a file or replay a conversation)");
        }
        if (planned.size() > MAX_SCENARIOS) {
            throw new InvalidInput("at most " + MAX_SCENARIOS + " scenarios per run (were " + planned.size() + ")");
        }
        UUID id = jdbc.sql("""
                        insert into agent_test_runs (organization_id, ai_agent_id, draft, scenarios, repeat, publish_if_passed, total)
                        values (?, ?, ?::jsonb, ?::jsonb, ?, ?, ?) returning id""")
                .params(agent.organizationId(), aiAgentId, draft == null ? null : draft.toString(), planned.toString(), repeat,
                        publishIfPassed, planned.size() * repeat)
                .query(UUID.class).single();
        scheduler.scheduleIfNotExists(TASK.instance(id.toString()).data(new RunOrder(agent.organizationId(), id)).scheduledTo(Instant.now()));
        dueJobs.checkAfterCommit();
        return get(id);
    }

    /** The job: every attempt not yet stored (so a restarted job resumes), then the verdict and the gate. */
    void execute(UUID runId) {
        record Planned(UUID scenarioId, String name, JsonNode definition, JsonNode baseline) {
        }
        var row = jdbc.sql("select ai_agent_id, draft::text, scenarios::text, repeat, publish_if_passed, status from agent_test_runs where id = ?")
                .param(runId).query((rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getBoolean(5), rs.getString(6)}).optional();
        if (row.isEmpty() || Status.valueOf(((String) row.get()[5]).toUpperCase()).finished()) {
            return;
        }
        UUID agentId = (UUID) row.get()[0];
        JsonNode draft = row.get()[1] == null ? null : json.readTree((String) row.get()[1]);
        int repeat = (Integer) row.get()[3];
        jdbc.sql("update agent_test_runs set status = 'running', started_at = coalesce(started_at, now()) where id = ?").param(runId).update();
        try {
            AiAgent agent = draft == null ? agents.get(agentId) : agents.preview(agentId, draftOf(draft));
            List<Planned> planned = new ArrayList<>();
            json.readTree((String) row.get()[2]).forEach(p -> planned.add(new Planned(
                    p.hasNonNull("scenario_id") ? UUID.fromString(p.get("scenario_id").asString()) : null, p.path("name").asString(),
                    p.get("definition"), p.hasNonNull("baseline") ? p.get("baseline") : null)));
            Set<String> stored = new HashSet<>(jdbc.sql("select position || ':' || attempt from agent_test_results where run_id = ?")
                    .param(runId).query(String.class).list());
            for (int position = 0; position < planned.size(); position++) {
                Planned p = planned.get(position);
                for (int attempt = 1; attempt <= repeat; attempt++) {
                    if (stored.contains(position + ":" + attempt)) {
                        continue;
                    }
                    JsonNode report;
                    boolean passed;
                    long tokens = 0;
                    BigDecimal cost = BigDecimal.ZERO;
                    long duration = 0;
                    try {
                        ScenarioRunner.Report r = runner.run(agent, ScenarioDefinition.parse(p.definition()), p.baseline());
                        report = json.valueToTree(r);
                        passed = r.passed();
                        tokens = r.tokens();
                        cost = r.cost();
                        duration = r.durationMs();
                    } catch (RuntimeException e) {
                        log.warn("Scenario '{}' of test run {} could not run", p.name(), runId, e);
                        report = json.valueToTree(Map.of("passed", false, "error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                        passed = false;
                    }
                    jdbc.sql("""
                                    insert into agent_test_results (organization_id, run_id, position, attempt, scenario_id, name, passed,
                                                                    report, tokens, cost_usd, duration_ms)
                                    values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) on conflict (run_id, position, attempt) do nothing""")
                            .params(TenantScope.requireOrganization(), runId, position, attempt, p.scenarioId(), p.name(), passed,
                                    report.toString(), tokens, cost, (int) Math.min(Integer.MAX_VALUE, duration))
                            .update();
                    jdbc.sql("update agent_test_runs set done = (select count(*) from agent_test_results where run_id = ?) where id = ?")
                            .params(runId, runId).update();
                }
            }
            boolean allPassed = jdbc.sql("select bool_and(passed) from agent_test_results where run_id = ?").param(runId)
                    .query(Boolean.class).optional().map(Boolean.TRUE::equals).orElse(false);
            jdbc.sql("update agent_test_runs set status = ?, finished_at = now() where id = ?")
                    .params(allPassed ? "passed" : "failed", runId).update();
            if (allPassed && (Boolean) row.get()[4]) {
                publish(runId);
            }
        } catch (RuntimeException e) {
            log.warn("Test run {} failed", runId, e);
            jdbc.sql("update agent_test_runs set status = 'error', error = ?, finished_at = now() where id = ?")
                    .params(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), runId).update();
        }
    }

    /** Applies the run's draft to the agent; refused unless the run passed (the gate) — 409 says why. */
    @Transactional
    Run publish(UUID runId) {
        Run run = get(runId);
        if (run.draft() == null) {
            throw new InvalidInput("this run tested the agent as stored: there is no draft to publish");
        }
        if (run.status() != Status.PASSED) {
            throw new Conflict("the draft can be published only after its suite passed; this run is " + run.status().code()
                    + " (" + run.scenariosPassed() + " of " + run.scenarios() + " scenarios passed)");
        }
        if (run.publishedAt() != null) {
            return run;
        }
        agents.update(run.aiAgentId(), draftOf(run.draft()));
        jdbc.sql("update agent_test_runs set published_at = now() where id = ?").param(runId).update();
        return get(runId);
    }

    Run get(UUID id) {
        return jdbc.sql(RUNS + " where r.id = ?").param(id).query(this::run).optional()
                .orElseThrow(() -> new NotFound("test run " + id + " not found"));
    }

    List<Run> list(UUID aiAgentId, int limit) {
        return jdbc.sql(RUNS + " where (?::uuid is null or r.ai_agent_id = ?) order by r.created_at desc limit ?")
                .params(aiAgentId, aiAgentId, limit).query(this::run).list();
    }

    List<Attempt> attempts(UUID runId) {
        get(runId);
        return jdbc.sql("""
                        select position, attempt, scenario_id, name, passed, report::text, tokens, cost_usd, duration_ms
                        from agent_test_results where run_id = ? order by position, attempt""")
                .param(runId)
                .query((rs, n) -> new Attempt(rs.getInt(1), rs.getInt(2), rs.getObject(3, UUID.class), rs.getString(4), rs.getBoolean(5),
                        json.readTree(rs.getString(6)), rs.getLong(7), rs.getBigDecimal(8), rs.getLong(9)))
                .list();
    }

    AiAgentDraft draftOf(JsonNode draft) {
        try {
            return json.treeToValue(draft, AiAgentDraft.class);
        } catch (RuntimeException e) {
            throw new InvalidInput("draft must be an AI agent change (prompt, model, temperature, max_tokens, settings, tools): "
                    + e.getMessage());
        }
    }

    private static final String RUNS = """
            select r.id, r.ai_agent_id, r.draft::text as draft, r.repeat, r.publish_if_passed, r.status, r.total, r.done,
                   jsonb_array_length(r.scenarios) as scenarios, r.error, r.published_at, r.created_at, r.started_at, r.finished_at,
                   (select count(*) from (select position from agent_test_results x where x.run_id = r.id group by position
                                          having bool_and(passed) and count(*) = r.repeat) p) as scenarios_passed,
                   (select count(*) filter (where passed) from agent_test_results x where x.run_id = r.id) as attempts_passed,
                   (select coalesce(sum(tokens), 0) from agent_test_results x where x.run_id = r.id) as tokens,
                   (select case when bool_or(cost_usd is null) then null else coalesce(sum(cost_usd), 0) end
                      from agent_test_results x where x.run_id = r.id) as cost_usd,
                   (select coalesce(sum(duration_ms), 0) from agent_test_results x where x.run_id = r.id) as duration_ms
            from agent_test_runs r""";

    private Run run(ResultSet rs, int n) throws SQLException {
        String draft = rs.getString("draft");
        int scenarioCount = rs.getInt("scenarios");
        int done = rs.getInt("done");
        Status status = Status.valueOf(rs.getString("status").toUpperCase());
        int scenariosPassed = rs.getInt("scenarios_passed");
        return new Run(rs.getObject("id", UUID.class), rs.getObject("ai_agent_id", UUID.class), draft == null ? null : json.readTree(draft),
                rs.getInt("repeat"), rs.getBoolean("publish_if_passed"), status, scenarioCount, rs.getInt("total"), done,
                scenariosPassed, status.finished() && scenarioCount > 0 ? (double) scenariosPassed / scenarioCount : null,
                done > 0 ? (double) rs.getInt("attempts_passed") / done : null, rs.getLong("tokens"), rs.getBigDecimal("cost_usd"),
                rs.getLong("duration_ms"), rs.getString("error"), instant(rs, "published_at"), instant(rs, "created_at"),
                instant(rs, "started_at"), instant(rs, "finished_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        var t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
