package io.switchboard.automation;

import io.switchboard.database.RecordRows;
import io.switchboard.database.TenantScope;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run log ({@code automation_runs}). A run is claimed before anything is done: the unique (rule or intent,
 * event) key lets exactly one claim succeed whichever node, or retry of a job, gets there — so a rule fires at
 * most once per event, and the job that runs it makes it fire once.
 */
@Component
public class RunLog {

    /** One run as the log shows it. */
    public record Run(UUID id, UUID automationId, UUID intentId, String name, String eventType, UUID conversationId,
                      int depth, boolean matched, String actionsDone, String error, boolean llmCallSaved, Instant createdAt) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;

    RunLog(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** @return the run's id, or empty when this (rule or intent, event) was already claimed */
    Optional<UUID> claim(UUID automationId, UUID intentId, String eventKey, String eventType, UUID conversationId, int depth) {
        return jdbc.sql("""
                        insert into automation_runs (organization_id, automation_id, intent_id, event_key, event_type, conversation_id, depth)
                        values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing returning id""")
                .params(TenantScope.requireOrganization(), automationId, intentId, eventKey, eventType, conversationId, depth)
                .query(UUID.class).optional();
    }

    void finish(UUID runId, boolean matched, List<String> done, String error, boolean llmCallSaved) {
        jdbc.sql("update automation_runs set matched = ?, actions_done = ?::jsonb, error = ?, llm_call_saved = ? where id = ?")
                .params(matched, json.writeValueAsString(done), error, llmCallSaved, runId).update();
    }

    /** The newest runs first; {@code matchedOnly} leaves out events whose conditions did not hold. */
    public List<Run> recent(UUID automationId, boolean matchedOnly, int limit) {
        return jdbc.sql("""
                        select r.id, r.automation_id, r.intent_id, coalesce(a.name, i.name) as name, r.event_type, r.conversation_id,
                               r.depth, r.matched, r.actions_done::text as actions_done, r.error, r.llm_call_saved, r.created_at
                        from automation_runs r left join automations a on a.id = r.automation_id
                        left join automation_intents i on i.id = r.intent_id
                        where (cast(? as uuid) is null or r.automation_id = ?) and (not ? or r.matched)
                        order by r.created_at desc limit ?""")
                .params(automationId, automationId, matchedOnly, limit).query(RecordRows.of(Run.class)).list();
    }

    /** LLM calls intents saved (each matched intent answered instead of the model). */
    public long llmCallsSaved() {
        return jdbc.sql("select count(*) from automation_runs where llm_call_saved").query(Long.class).single();
    }
}
