package io.switchboard.ai.llm;

/**
 * A function call the model asked for.
 *
 * @param id the provider's call id; echo it back in {@link LlmMessage.ToolResult#toolCallId()}
 * @param name the function name as the model wrote it (may name a tool that does not exist)
 * @param argumentsJson the arguments exactly as the model produced them: usually a JSON object,
 *     but possibly invalid JSON or carrying invented fields, so callers must validate
 */
public record LlmToolCall(String id, String name, String argumentsJson) {}
