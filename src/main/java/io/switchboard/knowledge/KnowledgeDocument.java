package io.switchboard.knowledge;

import java.time.Instant;
import java.util.UUID;

/**
 * A document of a knowledge base and where its indexing stands: {@code chunksDone} of {@code chunksTotal} embedded,
 * and when it failed, {@code error} says why in words a person can act on. {@code sendable}: an uploaded file whose
 * original is kept, so the AI can send it to a customer ({@code enviar_documento}).
 */
public record KnowledgeDocument(UUID id, UUID knowledgeBaseId, Kind kind, String title, String filename, String sourceUrl,
                                String language, Status status, String error, int chunksDone, int chunksTotal,
                                Instant updatedAt, boolean sendable) {

    public enum Kind {
        FILE, URL, QA;

        @com.fasterxml.jackson.annotation.JsonValue
        public String db() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Kind of(String db) {
            return valueOf(db.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public enum Status {
        PENDING, INDEXING, READY, FAILED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String db() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Status of(String db) {
            return valueOf(db.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** Progress in percent, 100 once ready. */
    public int percent() {
        if (status == Status.READY) {
            return 100;
        }
        return chunksTotal == 0 ? 0 : Math.min(100, chunksDone * 100 / chunksTotal);
    }
}
