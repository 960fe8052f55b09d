package io.switchboard.routing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A team (Vendas, Suporte, Financeiro) that conversations are handed to. {@code maxConversations} bounds the
 * open conversations its members hold together (null: no bound); {@code stickyWindowMinutes} is how long a
 * returning contact goes back to their previous person (null: never); the default department receives
 * handoffs that name none; {@code businessHours} null: always open.
 */
public record Department(UUID id, UUID organizationId, String name, Integer maxConversations,
                         AssignmentMethod assignmentMethod, boolean autoAssign, boolean assignToAiAgent,
                         Integer stickyWindowMinutes, boolean isDefault, List<String> specialties, BusinessHours businessHours,
                         Instant createdAt) {

    /** Whether its people receive conversations at {@code at} (outside business hours handoffs wait). */
    public boolean openAt(Instant at) {
        return businessHours == null || businessHours.openAt(at);
    }
}
