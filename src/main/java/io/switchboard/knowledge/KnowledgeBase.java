package io.switchboard.knowledge;

import java.time.Instant;
import java.util.UUID;

/** A named collection of documents and Q&amp;A pairs that one or more AI agents answer from. */
public record KnowledgeBase(UUID id, String name, String description, int documents, Instant createdAt) {
}
