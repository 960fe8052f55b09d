package io.switchboard.conversation;

import io.switchboard.database.ClusterSignals;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells every node that a conversation changed, through PostgreSQL: the signal leaves with the transaction
 * that made the change, so inboxes open on any node refresh exactly when the change is visible.
 */
@Component
class ChangeSignals {

    static final String TOPIC = "conversation_changed";

    private final ClusterSignals signals;

    ChangeSignals(ClusterSignals signals) {
        this.signals = signals;
    }

    @EventListener
    void on(Events.ConversationChanged changed) {
        signals.publish(TOPIC, changed.organizationId() + "|" + changed.conversationId() + "|" + changed.change());
    }
}
