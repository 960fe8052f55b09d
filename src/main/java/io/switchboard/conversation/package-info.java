/**
 * Conversations and their messages: the inbound path (stored once), outbound messages (stored before
 * delivery), who owns a conversation (an AI agent or a person), its AI-control fields and its lifecycle.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Conversations", allowedDependencies = {"contact", "database", "identity", "refusal"})
package io.switchboard.conversation;
