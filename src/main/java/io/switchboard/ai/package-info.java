/**
 * AI agents: their configuration and tools, the LLM gateway, the conversation turn (context, tool loop,
 * accounting), and the rules that keep the AI from ever leaving a customer in silence or talking over a
 * person.
 */
@org.springframework.modulith.ApplicationModule(displayName = "AI agents", allowedDependencies = {"contact", "conversation", "crm", "database", "identity", "integration", "knowledge", "media", "outbound", "refusal"})
package io.switchboard.ai;
