/**
 * Conversations and their messages: the inbound path (stored once), outbound messages (stored before
 * delivery), who owns a conversation (an AI agent or a person), its AI-control fields and its lifecycle.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Conversations")
package io.switchboard.conversation;
