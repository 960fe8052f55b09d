package io.switchboard.ai.tools;

import java.io.Serializable;
import java.util.UUID;

/**
 * A message an AI agent promised to send later, as stored in the durable scheduler (Java-serialized, so keep
 * the fields stable: renaming one breaks follow-ups already waiting in the database).
 */
public record FollowUp(UUID id, UUID organizationId, UUID conversationId, UUID aiAgentId, String message)
        implements Serializable {
}
