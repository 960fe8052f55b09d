package io.switchboard.ai.llm;

import java.util.List;
import java.util.Objects;

/** One message of the conversation sent to the model. */
public sealed interface LlmMessage {

    /** Instructions for the model (the agent's prompt and context). */
    record System(String text) implements LlmMessage {
        public System {
            Objects.requireNonNull(text, "text");
        }
    }

    /** What the customer said. */
    record User(String text) implements LlmMessage {
        public User {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A previous answer of the model; when it asked for tools, send it back unchanged followed by
     * one {@link ToolResult} per call.
     *
     * @param text may be null when the model only called tools
     */
    record Assistant(String text, List<LlmToolCall> toolCalls) implements LlmMessage {
        public Assistant {
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        }
    }

    /** The result of executing one tool call, sent as a {@code role: tool} message. */
    record ToolResult(String toolCallId, String toolName, String content) implements LlmMessage {
        public ToolResult {
            Objects.requireNonNull(toolCallId, "toolCallId");
            Objects.requireNonNull(content, "content");
        }
    }
}
