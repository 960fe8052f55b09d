package io.switchboard.web;

import io.switchboard.database.ClusterSignal;
import io.switchboard.database.ClusterSignals;
import io.switchboard.database.TenantScope;
import io.switchboard.identity.Presence;
import io.switchboard.identity.Role;
import io.switchboard.knowledge.Feedback;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells the organization's administrators (the supervisors), live on whichever node their inbox is open, that a
 * customer complained or found the AI's answer unhelpful. The notice leaves through PostgreSQL with the
 * transaction that stored the record, as routing notices do, and appears in the same place in the header.
 */
@Component
class FeedbackNotices {

    static final String TOPIC = "feedback_notice";

    private final ClusterSignals signals;
    private final PresenceStreams streams;
    private final Presence presence;

    FeedbackNotices(ClusterSignals signals, PresenceStreams streams, Presence presence) {
        this.signals = signals;
        this.streams = streams;
        this.presence = presence;
    }

    @EventListener
    void on(Feedback.Recorded recorded) {
        if (recorded.kind().notifiesSupervisors()) {
            signals.publish(TOPIC, String.join("|", recorded.organizationId().toString(), recorded.conversationId().toString(),
                    recorded.kind().db()));
        }
    }

    @EventListener
    void on(ClusterSignal signal) {
        if (!TOPIC.equals(signal.topic())) {
            return;
        }
        String[] parts = signal.payload().split("\\|", -1);
        if (parts.length != 3) {
            return;
        }
        UUID organizationId = UUID.fromString(parts[0]);
        String data = "{\"kind\":\"feedback\",\"feedback_kind\":\"" + parts[2].replaceAll("[^a-z_]", "")
                + "\",\"conversation_id\":\"" + UUID.fromString(parts[1]) + "\"}";
        TenantScope.call(organizationId, presence::list).stream().filter(p -> p.role() == Role.ADMIN)
                .forEach(p -> streams.send(p.userId(), "routing", data));
    }
}
