package io.switchboard.ai.llm;

import java.time.Duration;
import java.util.List;

/**
 * The model's answer to one call.
 *
 * @param text the answer text; null or blank when the model only called tools
 * @param toolCalls the functions the model wants called, in order; empty for a final answer
 * @param usage tokens billed
 * @param finishReason the provider's reason ({@code stop}, {@code length}, {@code tool_calls},
 *     {@code content_filter}, or {@code other}); may be null if the provider did not say
 * @param latency time spent in the call
 */
public record LlmReply(String text, List<LlmToolCall> toolCalls, LlmUsage usage, String finishReason, Duration latency) {

    public LlmReply {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        usage = usage == null ? LlmUsage.NONE : usage;
    }

    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }

    /** True when there is nothing to say and nothing to do: no text and no tool calls. */
    public boolean isEmpty() {
        return (text == null || text.isBlank()) && toolCalls.isEmpty();
    }
}
