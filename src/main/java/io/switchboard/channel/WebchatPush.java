package io.switchboard.channel;

import io.switchboard.conversation.Conversations;
import io.switchboard.database.ClusterSignal;
import io.switchboard.database.ClusterSignals;
import io.switchboard.database.TenantScope;
import io.switchboard.conversation.Message;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Open web chat widgets, by conversation, and the push of messages to them over Server-Sent Events. A
 * visitor's stream lives on one node, so a message is announced to every node through PostgreSQL
 * ({@link ClusterSignals}) and the node holding the stream pushes it. A widget that was closed finds the
 * message again when it reloads the conversation.
 */
@Component
public class WebchatPush {

    private final Map<UUID, List<SseEmitter>> streams = new ConcurrentHashMap<>();

    /** Registers a visitor's stream for a conversation; it is forgotten when it ends. */
    public SseEmitter open(UUID conversationId) {
        // a finite life: the widget's EventSource reconnects by itself and catches up on reconnect
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MILLIS);
        List<SseEmitter> list = streams.computeIfAbsent(conversationId, id -> new CopyOnWriteArrayList<>());
        list.add(emitter);
        Runnable forget = () -> list.remove(emitter);
        emitter.onCompletion(forget);
        emitter.onTimeout(forget);
        emitter.onError(e -> forget.run());
        return emitter;
    }

    static final String TOPIC = "webchat_message";
    static final long STREAM_TIMEOUT_MILLIS = 30 * 60 * 1000L;

    private final ClusterSignals signals;
    private final Conversations conversations;

    private final io.switchboard.identity.Users users;

    private final OutboundMedia media;

    WebchatPush(ClusterSignals signals, @Lazy Conversations conversations, io.switchboard.identity.Users users, OutboundMedia media) {
        this.media = media;
        this.signals = signals;
        this.users = users;
        this.conversations = conversations;
    }

    /** Announces a message to the widgets of its conversation, wherever their streams are open. */
    void announce(Message message) {
        signals.publish(TOPIC, message.organizationId() + "|" + message.conversationId() + "|" + message.id());
    }

    @EventListener
    void on(ClusterSignal signal) {
        if (!TOPIC.equals(signal.topic())) {
            return;
        }
        String[] parts = signal.payload().split("\\|");
        UUID conversationId = UUID.fromString(parts[1]);
        if (openStreams(conversationId) == 0) {
            return; // the visitor's stream is on another node, or closed
        }
        UUID organizationId = UUID.fromString(parts[0]);
        Message message = TenantScope.call(organizationId, () -> conversations.message(UUID.fromString(parts[2])));
        String senderName = message.senderType() == io.switchboard.conversation.SenderType.AGENT && message.senderId() != null
                ? TenantScope.call(organizationId, () -> users.find(message.senderId()).map(io.switchboard.identity.User::name).orElse(""))
                : "";
        push(conversationId, message, senderName);
    }

    /** The message's files as the widget shows them (signed paths). */
    List<Map<String, String>> media(Message message) {
        return media.forWidget(message);
    }

    /** Sends a message to every widget of the conversation open on this node. */
    private void push(UUID conversationId, Message message, String senderName) {
        List<SseEmitter> list = streams.getOrDefault(conversationId, List.of());
        for (SseEmitter emitter : list) {
            try {
                emitter.send(SseEmitter.event().name("message").id(message.id().toString()).data(Map.of(
                        "id", message.id().toString(),
                        "sender_type", message.senderType().db(),
                        "sender_name", senderName,
                        "content", message.content() == null ? "" : message.content(),
                        "media", media.forWidget(message),
                        "created_at", message.createdAt().toString())));
            } catch (IOException | IllegalStateException e) {
                list.remove(emitter);
            }
        }
    }

    /** Ends open streams when shutdown begins, so a graceful shutdown does not wait for idle visitors. */
    @EventListener(ContextClosedEvent.class)
    void closeAll() {
        streams.values().forEach(list -> list.forEach(emitter -> {
            try {
                emitter.complete();
            } catch (RuntimeException alreadyGone) {
                // the visitor left already
            }
        }));
        streams.clear();
    }

    int openStreams(UUID conversationId) {
        return streams.getOrDefault(conversationId, List.of()).size();
    }
}
