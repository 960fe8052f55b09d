package io.switchboard.routing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A team (Vendas, Suporte, Financeiro) that conversations are handed to. {@code maxConversations} bounds the
 * open conversations its members hold together (null: no bound); {@code stickyWindowMinutes} is how long a
 * returning contact goes back to their previous person (null: never); the default department receives
 * handoffs that name none.
 */
public record Department(UUID id, UUID organizationId, String name, Integer maxConversations,
                         AssignmentMethod assignmentMethod, boolean autoAssign, boolean assignToAiAgent,
                         Integer stickyWindowMinutes, boolean isDefault, List<String> specialties, Instant createdAt) {
}
