package io.switchboard.web;

import io.switchboard.database.ClusterSignal;
import io.switchboard.database.ClusterSignals;
import tools.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Pushes "a conversation changed" to every open inbox of the organization, once the change is committed.
 * Browsers then re-fetch what they show, through their own signed-in requests, so nothing here reads the
 * database and nothing crosses tenants: emitters are kept per organization.
 *
 * <p>Changes reach every node through PostgreSQL {@code LISTEN/NOTIFY}, so an inbox open on one node sees
 * what another node committed.
 */
@Component
class InboxStream implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InboxStream.class);
    /** Browsers reconnect by themselves when an emitter times out, so a long but finite life is fine. */
    static final long EMITTER_TIMEOUT_MILLIS = 30 * 60 * 1000L;

    static final String PRESENCE = "inbox_presence";

    private final ClusterSignals signals;
    private final JsonMapper json;

    InboxStream(ClusterSignals signals, JsonMapper json) {
        this.signals = signals;
        this.json = json;
    }

    private final Map<UUID, Set<SseEmitter>> emittersByOrganization = new ConcurrentHashMap<>();
    // writes to slow sockets must not hold up the thread that committed the change
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "inbox-stream");
        thread.setDaemon(true);
        return thread;
    });

    SseEmitter open(UUID organizationId) {
        SseEmitter emitter = new SseEmitter(EMITTER_TIMEOUT_MILLIS);
        // added inside compute() so it cannot race with remove() dropping an emptied set
        emittersByOrganization.compute(organizationId, (id, emitters) -> {
            Set<SseEmitter> set = emitters != null ? emitters : ConcurrentHashMap.newKeySet();
            set.add(emitter);
            return set;
        });
        Runnable drop = () -> remove(organizationId, emitter);
        emitter.onCompletion(drop);
        emitter.onTimeout(drop);
        emitter.onError(error -> drop.run());
        try {
            // sent at once so the browser's EventSource reports "open" as soon as we are registered
            emitter.send(SseEmitter.event().name("ready").data("ready"));
        } catch (IOException e) {
            drop.run();
        }
        return emitter;
    }

    /**
     * A person is looking at (or typing in) a conversation: every node tells its open inboxes of the organization,
     * so the others see it before they answer too. Nothing is stored; browsers forget it after a few seconds.
     */
    void presence(UUID organizationId, UUID conversationId, UUID userId, String name, boolean typing) {
        signals.publish(PRESENCE, organizationId + "|" + conversationId + "|" + userId + "|" + typing + "|" + name);
    }

    /** Changes committed on any node arrive here through PostgreSQL (see {@code ClusterSignals}). */
    @EventListener
    void on(ClusterSignal signal) {
        if (PRESENCE.equals(signal.topic())) {
            String[] p = signal.payload().split("\\|", 5);
            if (p.length == 5) {
                var data = json.createObjectNode().put("conversation_id", p[1]).put("user_id", p[2])
                        .put("typing", Boolean.parseBoolean(p[3])).put("name", p[4]);
                send(UUID.fromString(p[0]), "presence", data.toString());
            }
            return;
        }
        if (!"conversation_changed".equals(signal.topic())) {
            return;
        }
        String[] parts = signal.payload().split("\\|", 3);
        if (parts.length == 3) {
            broadcast(UUID.fromString(parts[0]), UUID.fromString(parts[1]), parts[2]);
        }
    }

    void broadcast(UUID organizationId, UUID conversationId, String change) {
        String data = "{\"conversation_id\":\"" + conversationId + "\",\"change\":\"" + change.replaceAll("[^a-z_]", "") + "\"}";
        send(organizationId, "changed", data);
    }

    private void send(UUID organizationId, String eventName, String data) {
        Set<SseEmitter> emitters = emittersByOrganization.get(organizationId);
        if (emitters == null || emitters.isEmpty()) {
            return;
        }
        sender.execute(() -> {
            for (SseEmitter emitter : emitters) {
                send(organizationId, emitter, SseEmitter.event().name(eventName).data(data));
            }
        });
    }

    /** A comment every 20 s keeps proxies from closing idle streams and reveals dead browsers. */
    @Scheduled(fixedDelay = 20_000, initialDelay = 20_000)
    void heartbeat() {
        sender.execute(() -> emittersByOrganization.forEach((organizationId, emitters) -> {
            for (SseEmitter emitter : emitters) {
                send(organizationId, emitter, SseEmitter.event().comment("heartbeat"));
            }
        }));
    }

    int openStreams(UUID organizationId) {
        Set<SseEmitter> emitters = emittersByOrganization.get(organizationId);
        return emitters == null ? 0 : emitters.size();
    }

    private void send(UUID organizationId, SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
        } catch (IOException | IllegalStateException e) {
            log.debug("Dropping a closed inbox stream: {}", e.getMessage());
            remove(organizationId, emitter);
            try {
                emitter.completeWithError(e);
            } catch (IllegalStateException endedByTheContainer) {
                // Tomcat already failed the stream (the browser left) and refuses it from our thread: it is gone
                // either way. Thrown on, it would end the loop over the organization's streams and the people
                // after this one would miss the event (an inbox browser test caught a live message never shown).
            }
        }
    }

    private void remove(UUID organizationId, SseEmitter emitter) {
        emittersByOrganization.computeIfPresent(organizationId, (id, emitters) -> {
            emitters.remove(emitter);
            return emitters.isEmpty() ? null : emitters;
        });
    }

    /**
     * Ends every stream as soon as shutdown begins: a graceful web server shutdown waits for open requests, and
     * streams never end by themselves. Browsers reconnect to another node or to the restarted one.
     */
    @EventListener(ContextClosedEvent.class)
    void closeAll() {
        emittersByOrganization.values().forEach(emitters -> emitters.forEach(emitter -> {
            try {
                emitter.complete();
            } catch (RuntimeException ignored) {
                // already closed by the client
            }
        }));
        emittersByOrganization.clear();
    }

    @Override
    public void destroy() {
        sender.shutdownNow();
        closeAll();
    }
}
