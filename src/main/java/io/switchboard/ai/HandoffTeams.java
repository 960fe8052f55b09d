package io.switchboard.ai;

import io.switchboard.conversation.Conversation;
import java.util.Optional;

/**
 * Which team a conversation the AI hands over will go to, so the customer's transition message can name it.
 * The AI module asks; the module that distributes conversations answers (it depends on the AI module, not the
 * other way round). Without an answer the message speaks of "our team".
 */
public interface HandoffTeams {

    /** The name of the department a handoff of this conversation would go to now, if any. */
    Optional<String> teamFor(Conversation conversation);

    /**
     * The whole transition message when the team cannot take the customer now (outside its business hours), in
     * {@code locale}: honest words about when people will answer. Empty: the usual transition message.
     */
    default Optional<String> closedNotice(Conversation conversation, java.util.Locale locale) {
        return Optional.empty();
    }
}
