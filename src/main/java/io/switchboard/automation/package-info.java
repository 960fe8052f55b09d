/**
 * Automations: rules that react to conversation events (conditions, then actions, in order, once per event
 * cluster-wide, every run logged), intents that answer before the LLM (AI branching), canned responses and macros
 * for people, and the activities people and the AI create.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Automations", allowedDependencies = {"ai", "channel", "contact", "conversation", "database", "identity", "knowledge", "outbound", "refusal", "routing"})
package io.switchboard.automation;
