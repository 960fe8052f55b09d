package io.switchboard.ai.tools;

import java.util.UUID;

/**
 * What a tool returns to the model ({@code content}, JSON or plain text), whether it worked, and what the
 * turn must do after answering: hand the conversation to a person, or close it. {@code reason} explains an
 * escalation or a closing (for the conversation's history); {@code escalateToUserId} names the person the
 * conversation should go to, null for the human queue.
 */
public record ToolResult(boolean success, String content, FollowUp followUp, String reason, UUID escalateToUserId) {

    public enum FollowUp { NONE, ESCALATE, CLOSE }

    public ToolResult(boolean success, String content, FollowUp followUp, String reason) {
        this(success, content, followUp, reason, null);
    }

    public static ToolResult ok(String content) {
        return new ToolResult(true, content, FollowUp.NONE, null);
    }

    public static ToolResult failed(String content) {
        return new ToolResult(false, content, FollowUp.NONE, null);
    }

    public static ToolResult escalate(String content, String reason) {
        return new ToolResult(true, content, FollowUp.ESCALATE, reason);
    }

    /** An escalation to one person rather than to the queue. */
    public static ToolResult escalateTo(String content, String reason, UUID userId) {
        return new ToolResult(true, content, FollowUp.ESCALATE, reason, userId);
    }

    public static ToolResult closeAfterReply(String content) {
        return new ToolResult(true, content, FollowUp.CLOSE, null);
    }

    /** Close after the reply, keeping why (recorded in the conversation's history). */
    public static ToolResult closeAfterReply(String content, String reason) {
        return new ToolResult(true, content, FollowUp.CLOSE, reason);
    }
}
