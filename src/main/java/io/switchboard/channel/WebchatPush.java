package io.switchboard.channel;

import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Message;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Open web chat widgets, by conversation, and the push of messages to them over Server-Sent Events.
 * Delivery to a widget is "sent" when pushed; a widget that was closed finds the message again when it
 * reloads the conversation. With several nodes the visitor's stream lives on one node only: a fan-out
 * through PostgreSQL LISTEN/NOTIFY would reach it from any node.
 */
@Component
public class WebchatPush {

    private final Map<UUID, List<SseEmitter>> streams = new ConcurrentHashMap<>();

    /** Registers a visitor's stream for a conversation; it is forgotten when it ends. */
    public SseEmitter open(UUID conversationId) {
        SseEmitter emitter = new SseEmitter(0L);
        List<SseEmitter> list = streams.computeIfAbsent(conversationId, id -> new CopyOnWriteArrayList<>());
        list.add(emitter);
        Runnable forget = () -> list.remove(emitter);
        emitter.onCompletion(forget);
        emitter.onTimeout(forget);
        emitter.onError(e -> forget.run());
        return emitter;
    }

    /** Sends a message to every open widget of the conversation. */
    public void push(Conversation conversation, Message message) {
        List<SseEmitter> list = streams.getOrDefault(conversation.id(), List.of());
        for (SseEmitter emitter : list) {
            try {
                emitter.send(SseEmitter.event().name("message").id(message.id().toString()).data(Map.of(
                        "id", message.id().toString(),
                        "sender_type", message.senderType().db(),
                        "content", message.content() == null ? "" : message.content(),
                        "created_at", message.createdAt().toString())));
            } catch (IOException | IllegalStateException e) {
                list.remove(emitter);
            }
        }
    }

    int openStreams(UUID conversationId) {
        return streams.getOrDefault(conversationId, List.of()).size();
    }
}
