package io.switchboard.knowledge;

import java.time.Instant;
import java.util.UUID;

/**
 * A fact about a contact that an AI agent remembers across conversations ("prefere entrega à tarde", "tem um
 * cachorro chamado Thor"), with the conversation it came from and who wrote it last.
 */
public record Memory(UUID id, UUID contactId, UUID aiAgentId, UUID conversationId, String fact, Source source,
                     Instant createdAt, Instant updatedAt) {

    /** Who wrote the fact: extracted by the LLM, or written or corrected by a person. */
    public enum Source {
        LLM, PERSON;

        @com.fasterxml.jackson.annotation.JsonValue
        public String db() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Source of(String db) {
            return valueOf(db.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
