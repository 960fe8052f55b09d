package io.switchboard.ai.turn;

import io.switchboard.ai.llm.LlmUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one turn spent and did — its LLM calls, its message log and its tool calls — kept in memory while the
 * turn runs and written by {@link AiLedger#write} in the turn's last transaction, so the books cost no commit
 * of their own.
 */
final class TurnLedger {

    /** One LLM call; {@code usage} is null for a call that failed (it spent nothing we know of). */
    record Call(String model, LlmUsage usage, Duration latency, Optional<BigDecimal> cost, String outcome, String errorReason) {
    }

    /** One tool call as the AI conversation's tool log shows it. */
    record ToolCall(String tool, boolean success, Map<String, Object> entry) {
    }

    private final List<Call> calls = new ArrayList<>();
    private final List<Map<String, Object>> messages = new ArrayList<>();
    private final List<ToolCall> tools = new ArrayList<>();
    private final int earlierToolFailures;

    /** @param earlierToolFailures failed tool calls of earlier turns of this conversation and agent */
    TurnLedger(int earlierToolFailures) {
        this.earlierToolFailures = earlierToolFailures;
    }

    void call(Call call) {
        calls.add(call);
    }

    void message(Map<String, Object> entry) {
        messages.add(entry);
    }

    void tool(ToolCall call) {
        tools.add(call);
    }

    /** Failed tool calls in this conversation so far, this turn's included (enough of them hand it over). */
    int toolFailures() {
        return earlierToolFailures + (int) tools.stream().filter(t -> !t.success()).count();
    }

    List<Call> calls() {
        return calls;
    }

    List<Map<String, Object>> messages() {
        return messages;
    }

    List<ToolCall> tools() {
        return tools;
    }
}
