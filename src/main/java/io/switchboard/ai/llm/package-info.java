/**
 * The LLM gateway: {@link io.switchboard.ai.llm.LlmClient} (the provider seam),
 * {@link io.switchboard.ai.llm.OpenAiCompatibleLlmClient}, {@link io.switchboard.ai.llm.RetryingLlmCaller}
 * (retries under a deadline) and {@link io.switchboard.ai.llm.PriceTable} (cost per call).
 * No Spring beans are declared here; the turn logic wires them.
 */
package io.switchboard.ai.llm;
