package io.switchboard.ai;

import io.switchboard.ai.tools.ToolResult;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Dry runs of an AI agent: the real answer generation (prompt, knowledge, LLM and tool loop, escalation triggers)
 * over a scripted customer, for any configuration (the agent as stored or a draft, see
 * {@link AiAgents#preview}). Nothing reaches a channel, a customer, a conversation or a tool backend: every tool
 * call is answered by {@link Fixtures}. Nothing is written to the AI's books either, so a rehearsal never counts
 * toward the agent's request or spending limits; its tokens and cost are computed and returned.
 */
public interface Rehearsals {

    /** Runs the script: {@code earlier} exchanges as history, then each of {@code turns} generated in order. */
    Result rehearse(Rehearsal rehearsal);

    /**
     * The next message of a simulated customer (τ-bench style: a persona with a goal who reveals information only
     * when asked), written by the agent's own model after the exchanges so far; empty when the simulator ends the
     * conversation (goal reached, or no way forward) or no LLM is configured. Non-deterministic by nature.
     */
    Optional<String> simulatedCustomer(AiAgent agent, String persona, String goal, List<Exchange> soFar);

    /**
     * A judge model's verdict on a natural-language expectation ({@code criterion}) over a rehearsed conversation:
     * whether it holds and why. Empty when no LLM is configured or the judge could not answer. Non-deterministic.
     */
    Optional<Verdict> judge(AiAgent agent, String criterion, List<Exchange> conversation);

    record Verdict(boolean holds, String explanation) {
    }

    /** What a conversation's AI did, for turning it into a scenario (replay). Empty without AI activity. */
    Optional<Recording> recording(UUID conversationId);

    /** The agent's most recent conversations, newest first: what an administrator may replay. */
    List<Handled> recentConversations(UUID aiAgentId, int limit);

    /** A conversation an agent handled: when, how many tokens, and whether it handed over. */
    record Handled(UUID conversationId, Instant updatedAt, long tokens, boolean escalated) {
    }

    /** Who the rehearsed customer is (what the prompt's contact line shows). */
    record Customer(String name, String phone, String email) {
        public static final Customer ANONYMOUS = new Customer("Cliente de teste", null, null);
    }

    /** A customer message and the answer it got, taken as given (the playground's earlier turns). */
    record Exchange(String customer, String answer) {
    }

    /**
     * What a tool call returns instead of running: the result for {@code tool} called with {@code arguments}, or
     * empty when nothing fits (the call then fails with a message saying so, and is listed as unfixtured).
     */
    @FunctionalInterface
    interface Fixtures {
        Optional<ToolResult> answer(String tool, JsonNode arguments);
    }

    /** @param turns each turn is one or more customer messages answered together */
    record Rehearsal(AiAgent agent, Customer customer, List<Exchange> earlier, List<List<String>> turns, Fixtures fixtures) {
    }

    enum OutcomeKind {
        ANSWERED, HANDOFF, CLOSED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How the conversation would stand: still the AI's, handed to a person (with why), or closed. */
    record Outcome(OutcomeKind kind, String reason) {
        public static final Outcome ANSWERED = new Outcome(OutcomeKind.ANSWERED, null);
    }

    /** One tool call of a turn; {@code fixtured} false when no fixture answered it. */
    record ToolCall(String tool, String arguments, String result, boolean success, boolean fixtured) {
    }

    /**
     * One generated turn. {@code answer} is null when the turn handed over without words; {@code cost} is null when
     * a model's price is unknown; {@code context} is the system prompt the model read.
     */
    record TurnResult(List<String> customer, String answer, List<ToolCall> toolCalls, int rounds, long promptTokens,
                      long completionTokens, BigDecimal cost, String context, long durationMs, Outcome outcome) {

        public long tokens() {
            return promptTokens + completionTokens;
        }
    }

    /** The rehearsal: its turns (it stops at a handoff or a closing) and how it ended. */
    record Result(List<TurnResult> turns, Outcome outcome) {

        public long tokens() {
            return turns.stream().mapToLong(TurnResult::tokens).sum();
        }

        public int rounds() {
            return turns.stream().mapToInt(TurnResult::rounds).sum();
        }

        /** Null when any turn's cost is unknown. */
        public BigDecimal cost() {
            BigDecimal sum = BigDecimal.ZERO;
            for (TurnResult t : turns) {
                if (t.cost() == null) {
                    return null;
                }
                sum = sum.add(t.cost());
            }
            return sum;
        }
    }

    /** A tool call the AI made in a real conversation, with what it returned. */
    record RecordedToolCall(String tool, String arguments, String result, boolean success, Instant at) {
    }

    /** A conversation's AI activity: its agent, tool calls in order, and whether it handed over (and why). */
    record Recording(UUID aiAgentId, List<RecordedToolCall> toolCalls, boolean escalated, String escalationReason) {
    }
}
