package io.switchboard.web;

import io.switchboard.database.ClusterSignal;
import io.switchboard.database.ClusterSignals;
import io.switchboard.database.TenantScope;
import io.switchboard.identity.Presence;
import io.switchboard.identity.Role;
import io.switchboard.routing.RoutingEvents;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Live notices for one person, on whichever node their inbox is open: "a conversation was assigned to you"
 * to the assignee, "an SLA was breached" to the assignee and the organization's administrators (the
 * supervisors). They leave through PostgreSQL with the transaction that made them, as inbox changes do.
 */
@Component
class RoutingNotices {

    static final String TOPIC = "routing_notice";

    private final ClusterSignals signals;
    private final PresenceStreams streams;
    private final InboxStream inbox;
    private final Presence presence;

    RoutingNotices(ClusterSignals signals, PresenceStreams streams, InboxStream inbox, Presence presence) {
        this.signals = signals;
        this.streams = streams;
        this.inbox = inbox;
        this.presence = presence;
    }

    @EventListener
    void on(RoutingEvents.ConversationAssigned assigned) {
        signals.publish(TOPIC, String.join("|", assigned.organizationId().toString(), assigned.conversationId().toString(),
                "assigned", assigned.userId().toString()));
    }

    @EventListener
    void on(RoutingEvents.SlaBreached breached) {
        signals.publish(TOPIC, String.join("|", breached.organizationId().toString(), breached.conversationId().toString(),
                "sla_breached", breached.userId() == null ? "" : breached.userId().toString()));
    }

    @EventListener
    void on(ClusterSignal signal) {
        if (!TOPIC.equals(signal.topic())) {
            return;
        }
        String[] parts = signal.payload().split("\\|", -1);
        if (parts.length != 4) {
            return;
        }
        UUID organizationId = UUID.fromString(parts[0]);
        String kind = parts[2];
        String data = "{\"kind\":\"" + kind + "\",\"conversation_id\":\"" + parts[1] + "\"}";
        if (!parts[3].isEmpty()) {
            streams.send(UUID.fromString(parts[3]), "routing", data);
        }
        if ("sla_breached".equals(kind)) {
            TenantScope.call(organizationId, presence::list).stream()
                    .filter(p -> p.role() == Role.ADMIN && !p.userId().toString().equals(parts[3]))
                    .forEach(p -> streams.send(p.userId(), "routing", data));
            inbox.broadcast(organizationId, UUID.fromString(parts[1]), "sla_breached");
        }
    }
}
