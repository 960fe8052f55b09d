package io.switchboard.automation;

import java.time.Instant;
import java.util.UUID;

/** A task about a contact (call back, send the quote…), created by a person, a rule or the AI; done when {@code doneAt} is set. */
public record Activity(UUID id, UUID contactId, UUID conversationId, UUID userId, UUID aiAgentId, String type, String title,
                       String description, Instant dueAt, Instant doneAt, Instant createdAt) {

    public boolean done() {
        return doneAt != null;
    }
}
