package io.switchboard.routing;

import java.util.List;
import java.util.UUID;

/**
 * A person ({@code userId}) or an AI agent ({@code aiAgentId}) in a department: its weight for the percentage
 * method, a capacity of its own (null: the person's own {@code max_conversations}, or no bound) and the
 * specialties it serves.
 */
public record DepartmentMember(UUID id, UUID departmentId, UUID userId, UUID aiAgentId, String name, int weight,
                               Integer maxConversations, List<String> specialties) {
}
