package io.switchboard.web;

import io.switchboard.identity.Caller;
import io.switchboard.identity.Presence;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Whose live inboxes are open on this node: opening one brings an offline person online, and while any is
 * open the person is marked seen every 20 s, so presence turns offline only once every inbox of theirs
 * (on any node) has been gone for {@code switchboard.routing.offline-after}. Also the way to one person's
 * inboxes for notices meant for them alone.
 */
@Component
class PresenceStreams {

    private static final Logger log = LoggerFactory.getLogger(PresenceStreams.class);

    private final Presence presence;
    private final Map<UUID, Set<SseEmitter>> emittersByUser = new ConcurrentHashMap<>();

    PresenceStreams(Presence presence) {
        this.presence = presence;
    }

    SseEmitter track(Caller caller, SseEmitter emitter) {
        if (caller.userId() == null) {
            return emitter; // an integration token is nobody's presence
        }
        UUID userId = caller.userId();
        emittersByUser.compute(userId, (id, emitters) -> {
            Set<SseEmitter> set = emitters != null ? emitters : ConcurrentHashMap.newKeySet();
            set.add(emitter);
            return set;
        });
        Runnable drop = () -> emittersByUser.computeIfPresent(userId, (id, emitters) -> {
            emitters.remove(emitter);
            return emitters.isEmpty() ? null : emitters;
        });
        emitter.onCompletion(drop);
        emitter.onTimeout(drop);
        emitter.onError(error -> drop.run());
        presence.streamOpened(caller.organizationId(), userId);
        return emitter;
    }

    /** Sends an event to every inbox of the person open on this node. */
    void send(UUID userId, String name, String data) {
        Set<SseEmitter> emitters = emittersByUser.get(userId);
        if (emitters == null) {
            return;
        }
        for (SseEmitter emitter : emitters) {
            try {
                emitter.send(SseEmitter.event().name(name).data(data));
            } catch (IOException | IllegalStateException e) {
                log.debug("Dropping a closed inbox stream: {}", e.getMessage());
                emitters.remove(emitter);
            }
        }
    }

    @Scheduled(fixedDelayString = "${switchboard.routing.stream-seen-interval:20s}", initialDelayString = "${switchboard.routing.stream-seen-interval:20s}")
    void stillHere() {
        try {
            presence.streamsSeen(Set.copyOf(emittersByUser.keySet()));
        } catch (RuntimeException e) {
            log.warn("Could not mark open inboxes as seen: {}", e.toString());
        }
    }
}
