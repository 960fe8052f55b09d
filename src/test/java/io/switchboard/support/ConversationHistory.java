package io.switchboard.support;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes a conversation history straight into the tables, as the conversation and AI modules write them, with
 * the timestamps a test chooses (days ago, either side of a midnight): what reports are computed from.
 * Instants are ISO-8601 strings ("2025-11-10T02:30:00Z"). Call it inside the organization's tenant scope.
 */
public class ConversationHistory {

    private final JdbcClient jdbc;
    private final UUID organization;
    private final UUID channelAccount;

    public ConversationHistory(JdbcClient jdbc, UUID organization, UUID channelAccount) {
        this.jdbc = jdbc;
        this.organization = organization;
        this.channelAccount = channelAccount;
    }

    /** An AI agent of the organization, created as the AI module stores it. */
    public UUID aiAgent(String name) {
        return jdbc.sql("insert into ai_agents (organization_id, name) values (?, ?) returning id")
                .params(organization, name).query(UUID.class).single();
    }

    public UUID contact() {
        return jdbc.sql("insert into contacts (organization_id, name) values (?, 'Cliente') returning id")
                .param(organization).query(UUID.class).single();
    }

    public UUID conversation(UUID aiAgent, UUID agent, String createdAt, String closedAt) {
        return conversation(aiAgent, agent, createdAt, closedAt, contact());
    }

    public UUID conversation(UUID aiAgent, UUID agent, String createdAt, String closedAt, UUID contact) {
        return jdbc.sql("""
                        insert into conversations (organization_id, contact_id, channel_account_id, channel_type, status,
                                                   ai_agent_id, agent_id, created_at, closed_at)
                        values (?, ?, ?, 'twilio', ?, ?, ?, ?, ?) returning id""")
                .params(organization, contact, channelAccount, closedAt == null ? "open" : "closed", aiAgent, agent,
                        at(createdAt), closedAt == null ? null : at(closedAt))
                .query(UUID.class).single();
    }

    public void customer(UUID conversation, String at, String text) {
        message(conversation, "inbound", "contact", null, at, text, "{}");
    }

    public void aiAnswer(UUID conversation, UUID agent, String at, String text) {
        message(conversation, "outbound", "ai_agent", agent, at, text, "{\"automatic\": \"reply\"}");
    }

    public void personAnswer(UUID conversation, String at, String text) {
        message(conversation, "outbound", "agent", null, at, text, "{}");
    }

    public void message(UUID conversation, String direction, String sender, UUID aiAgent, String at, String text,
                         String metadata) {
        jdbc.sql("""
                        insert into messages (organization_id, conversation_id, channel_account_id, direction, sender_type,
                                              ai_agent_id, content, status, metadata, created_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)""")
                .params(organization, conversation, channelAccount, direction, sender, aiAgent, text,
                        "inbound".equals(direction) ? "received" : "delivered", metadata, at(at))
                .update();
    }

    public void event(UUID conversation, String type, String at, String reason) {
        jdbc.sql("""
                        insert into conversation_events (organization_id, conversation_id, type, actor_type, data, created_at)
                        values (?, ?, ?, 'system', ?::jsonb, ?)""")
                .params(organization, conversation, type, "{\"reason\": \"" + reason + "\"}", at(at)).update();
    }

    public void llmCall(UUID conversation, UUID agent, String at, int prompt, int cached, int completion, String cost,
                         String outcome) {
        jdbc.sql("""
                        insert into llm_calls (organization_id, conversation_id, ai_agent_id, model, prompt_tokens, cached_tokens,
                                               completion_tokens, latency_ms, cost_usd, outcome, created_at)
                        values (?, ?, ?, 'gpt-4o-mini', ?, ?, ?, 900, ?::numeric, ?, ?)""")
                .params(organization, conversation, agent, prompt, cached, completion, cost, outcome, at(at)).update();
    }

    public void tool(UUID conversation, UUID agent, String tool, boolean success, long durationMs, String at) {
        UUID ledger = jdbc.sql("""
                        insert into ai_conversations (organization_id, conversation_id, ai_agent_id) values (?, ?, ?)
                        on conflict (conversation_id, ai_agent_id) do update set updated_at = now() returning id""")
                .params(organization, conversation, agent).query(UUID.class).single();
        jdbc.sql("""
                        insert into ai_tool_calls (organization_id, ai_conversation_id, tool, success, entry, created_at)
                        values (?, ?, ?, ?, ?::jsonb, ?)""")
                .params(organization, ledger, tool, success,
                        "{\"tool\": \"" + tool + "\", \"duration_ms\": " + durationMs + ", \"success\": " + success + "}", at(at))
                .update();
    }

    public void survey(UUID conversation, UUID aiAgent, UUID user, int score) {
        jdbc.sql("""
                        insert into csat_surveys (organization_id, conversation_id, contact_id, channel_account_id, ai_agent_id,
                                                  user_id, scale, score, answered_at)
                        select organization_id, id, contact_id, channel_account_id, ?, ?, 'numeric', ?, now()
                        from conversations where id = ?""")
                .params(aiAgent, user, score, conversation).update();
    }

    private static Timestamp at(String instant) {
        return Timestamp.from(Instant.parse(instant));
    }


}
