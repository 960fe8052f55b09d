package io.switchboard.ai.tools;

/**
 * What a tool returns to the model ({@code content}, JSON or plain text), whether it worked, and what the
 * turn must do after answering: hand the conversation to a person, or close it.
 */
public record ToolResult(boolean success, String content, FollowUp followUp, String reason) {

    public enum FollowUp { NONE, ESCALATE, CLOSE }

    public static ToolResult ok(String content) {
        return new ToolResult(true, content, FollowUp.NONE, null);
    }

    public static ToolResult failed(String content) {
        return new ToolResult(false, content, FollowUp.NONE, null);
    }

    public static ToolResult escalate(String content, String reason) {
        return new ToolResult(true, content, FollowUp.ESCALATE, reason);
    }

    public static ToolResult closeAfterReply(String content) {
        return new ToolResult(true, content, FollowUp.CLOSE, null);
    }
}
