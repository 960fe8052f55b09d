package io.switchboard.knowledge;

import io.switchboard.database.ClusterSignal;
import java.util.Optional;
import java.util.UUID;

/**
 * A document's indexing moved on: {@code done} of {@code total} chunks embedded, or it became ready or failed.
 * Travels to every node as a {@link ClusterSignal} (topic {@value #TOPIC}), so an admin page open on any node shows it
 * live.
 */
public record DocumentProgress(UUID organizationId, UUID documentId, KnowledgeDocument.Status status, int done, int total) {

    public static final String TOPIC = "knowledge_progress";

    String payload() {
        return organizationId + "|" + documentId + "|" + status.db() + "|" + done + "|" + total;
    }

    /** The progress a signal carries, if it is one. */
    public static Optional<DocumentProgress> from(ClusterSignal signal) {
        if (!TOPIC.equals(signal.topic())) {
            return Optional.empty();
        }
        String[] parts = signal.payload().split("\\|");
        return Optional.of(new DocumentProgress(UUID.fromString(parts[0]), UUID.fromString(parts[1]),
                KnowledgeDocument.Status.of(parts[2]), Integer.parseInt(parts[3]), Integer.parseInt(parts[4])));
    }

    public int percent() {
        if (status == KnowledgeDocument.Status.READY) {
            return 100;
        }
        return total == 0 ? 0 : Math.min(100, done * 100 / total);
    }
}
