package io.switchboard.ai.llm;

/**
 * The one seam between the conversation-turn logic and an LLM provider.
 *
 * <p>Contract: one call is exactly one HTTP request to the provider (implementations never retry;
 * {@link RetryingLlmCaller} owns retries), bounded by {@link LlmRequest#callTimeout()}. Every
 * failure is reported as an {@link LlmCallException} whose {@link FailureReason} says whether a
 * retry may help. Implementations are thread-safe.
 */
public interface LlmClient {

    LlmReply chat(LlmRequest request) throws LlmCallException;
}
