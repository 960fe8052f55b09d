package io.switchboard.knowledge;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * Something a customer's words say about the service, recorded for supervisors: a complaint, a request for a
 * person, a sign that the AI's answer was generic or did not help, praise or a suggestion. {@code excerpt} is the
 * customer's words that show it; {@code detectedBy} the word scorer or the LLM's review of the conversation.
 */
public record Feedback(UUID id, UUID conversationId, UUID messageId, UUID aiAgentId, String aiAgentName, Kind kind,
                       String excerpt, DetectedBy detectedBy, Instant createdAt) {

    public enum Kind {
        COMPLAINT, HUMAN_REQUEST, UNHELPFUL_ANSWER, PRAISE, SUGGESTION;

        @com.fasterxml.jackson.annotation.JsonValue
        public String db() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kinds a supervisor is told about at once (the others wait on the list page). */
        public boolean notifiesSupervisors() {
            return this == COMPLAINT || this == UNHELPFUL_ANSWER;
        }

        public static Kind of(String db) {
            for (Kind kind : values()) {
                if (kind.db().equals(db)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown feedback kind " + db);
        }
    }

    public enum DetectedBy {
        SCORER, LLM;

        @com.fasterxml.jackson.annotation.JsonValue
        public String db() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a detector found in one customer message. */
    public record Draft(UUID conversationId, UUID messageId, UUID aiAgentId, Kind kind, String excerpt, DetectedBy detectedBy) {
    }

    /** A feedback record was stored; published in the transaction that stored it. */
    public record Recorded(UUID organizationId, UUID feedbackId, UUID conversationId, Kind kind) {
    }
}
