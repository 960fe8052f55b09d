package io.switchboard.ai;

import java.time.Instant;
import java.util.UUID;

/**
 * Where the AI's tool {@code criar_atividade} leaves a task for the team (call back, send a quote). Activities are
 * owned outside the AI module (automation's {@code Activities}, which also serves people and rules); the AI module
 * only knows this port.
 */
public interface TeamActivities {

    /** The kinds an activity can be, as stored. */
    enum Kind { TASK, CALL, MEETING, EMAIL, REMINDER }

    /**
     * A new open activity on the contact, linked to the conversation and the AI agent that asked for it.
     *
     * @return its id
     */
    UUID createByAiAgent(UUID contactId, UUID conversationId, UUID aiAgentId, Kind kind, String title, String description,
                         Instant dueAt);
}
