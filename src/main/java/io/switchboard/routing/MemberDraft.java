package io.switchboard.routing;

import java.util.List;
import java.util.UUID;

/** A member to add or change: exactly one of {@code userId} / {@code aiAgentId} when adding. */
public record MemberDraft(UUID userId, UUID aiAgentId, Integer weight, Integer maxConversations, List<String> specialties) {
}
