package io.switchboard.ai.llm;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One chat-completion call.
 *
 * @param endpoint where to send it
 * @param model the provider's model name, e.g. {@code gpt-4o-mini}
 * @param temperature sampling temperature (ignored for reasoning models that only accept the
 *     default, see {@link OpenAiCompatibleLlmClient})
 * @param maxTokens upper bound on generated tokens
 * @param messages the conversation so far, oldest first; must not be empty
 * @param tools functions the model may call; empty for none ({@code tool_choice} is {@code auto}
 *     when there are tools)
 * @param callTimeout hard bound on this single HTTP call, from sending to the last byte of the
 *     answer
 * @param toolsRequired the model must call a tool in this round ({@code tool_choice: required}) rather than
 *     answer from memory; ignored without tools
 */
public record LlmRequest(
        LlmEndpoint endpoint,
        String model,
        double temperature,
        int maxTokens,
        List<LlmMessage> messages,
        List<LlmTool> tools,
        Duration callTimeout,
        boolean toolsRequired) {

    public LlmRequest(LlmEndpoint endpoint, String model, double temperature, int maxTokens, List<LlmMessage> messages,
                      List<LlmTool> tools, Duration callTimeout) {
        this(endpoint, model, temperature, maxTokens, messages, tools, callTimeout, false);
    }

    public LlmRequest {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(callTimeout, "callTimeout");
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive, was " + callTimeout);
        }
    }

    /** The same request with another per-call timeout (used to fit a call into what is left of a deadline). */
    public LlmRequest withCallTimeout(Duration timeout) {
        return new LlmRequest(endpoint, model, temperature, maxTokens, messages, tools, timeout, toolsRequired);
    }
}
