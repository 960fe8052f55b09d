package io.switchboard.crm;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies what the CRM says about a lead to our side: the contact's stored stage and the AI pause of its
 * conversations. The CRM pause is told apart by its reason, so leaving the handoff stage lifts only the pause
 * the CRM set, never one a person or an AI failure set. Works in the caller's tenant scope.
 */
@Component
class LeadStageSync {

    static final String HANDOFF_REASON = "CRM: lead is in the human handoff stage";
    private static final String ACTOR = "integration";

    private final Contacts contacts;
    private final Conversations conversations;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    LeadStageSync(Contacts contacts, Conversations conversations, JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.contacts = contacts;
        this.conversations = conversations;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** The contact's conversations that are not closed: the ones a stage change must reach. */
    List<UUID> openConversations(UUID contactId) {
        return jdbc.sql("select id from conversations where contact_id = ? and status <> 'closed' order by created_at")
                .param(contactId).query(UUID.class).list();
    }

    /**
     * Applies a lead's current stage to the contact and to {@code conversationIds}: stores the stage when it
     * changed, then pauses the AI in the handoff stage or lifts the CRM pause outside it.
     *
     * @return whether the lead is in the handoff stage
     */
    boolean applyStage(KommoConnection connection, Contact contact, long stageId, Long pipelineId, String source,
                       List<UUID> conversationIds) {
        if (!Objects.equals(contact.crmStageId(), stageId)) {
            contacts.recordCrmStage(contact.id(), stageId);
            for (UUID conversationId : conversationIds) {
                conversations.recordEvent(conversationId, "crm_stage_changed", ACTOR, null, json(
                        "lead_id", contact.crmLeadId(), "old_stage_id", contact.crmStageId(), "new_stage_id", stageId,
                        "source", source));
            }
        }
        boolean handoff = connection.isHandoff(stageId, pipelineId);
        for (UUID conversationId : conversationIds) {
            if (handoff) {
                holdForHumans(conversationId);
            } else {
                liftCrmPause(conversationId, source);
            }
        }
        return handoff;
    }

    /** The CRM no longer knows the lead: nothing holds the AI back on its account any more. */
    void leadMissing(Contact contact, String why, List<UUID> conversationIds) {
        for (UUID conversationId : conversationIds) {
            conversations.recordEvent(conversationId, "crm_lead_missing", ACTOR, null,
                    json("lead_id", contact.crmLeadId(), "why", why));
            liftCrmPause(conversationId, "lead_missing");
        }
    }

    /** Records that the CRM could not be asked and what was decided from the stage known before. */
    void recordUnreachable(UUID conversationId, Contact contact, String reason, boolean heldForHumans) {
        conversations.recordEvent(conversationId, "crm_unreachable", ACTOR, null, json("lead_id", contact.crmLeadId(),
                "reason", reason, "last_known_stage_id", contact.crmStageId(),
                "decision", heldForHumans ? "held_for_humans" : "ai_may_answer"));
    }

    /**
     * Pauses the AI for the salesperson. A conversation already paused for another reason keeps that reason
     * (and stays silent): overwriting it would let leaving the handoff stage lift a pause the CRM never set.
     */
    void holdForHumans(UUID conversationId) {
        Conversation conversation = conversations.find(conversationId);
        if (!conversation.aiPausedAt(clock.instant())) {
            conversations.pauseAi(conversationId, HANDOFF_REASON);
        }
    }

    /**
     * Lifts the AI pause only when the CRM set it. Narrower than {@link Conversations#reactivateAi}, which also
     * unassigns the person and reopens the conversation: a salesperson still talking must keep it.
     */
    boolean liftCrmPause(UUID conversationId, String source) {
        return conversations.liftPause(conversationId, HANDOFF_REASON, ACTOR, json("reason", HANDOFF_REASON, "source", source));
    }

    /** A JSON object of alternating names and values; null values are kept as JSON null. */
    private String json(Object... namesAndValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            data.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return json.writeValueAsString(data);
    }
}
