package io.switchboard.crm;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Asks the CRM, the source of truth for a lead's stage, whether the AI may answer a conversation now.
 *
 * <p>Call {@link #beforeAiAnswers} in the organization's tenant scope, outside any transaction (it may wait
 * up to about 3 s for Kommo), each time the AI is about to answer a customer. It reads the lead's live
 * stage, corrects the contact's stored stage, pauses the AI while the lead is in the configured human
 * handoff stage and lifts that pause once the lead has left it. When Kommo cannot be reached it decides
 * from the last stage known, so a Kommo outage never lets the AI talk over a salesperson it knew about.
 * It never throws.
 */
@Service
public class CrmGuard {

    private static final Logger log = LoggerFactory.getLogger(CrmGuard.class);

    private final KommoConnections connections;
    private final KommoLeads leads;
    private final LeadStageSync sync;
    private final Contacts contacts;
    private final Conversations conversations;

    CrmGuard(KommoConnections connections, KommoLeads leads, LeadStageSync sync, Contacts contacts,
             Conversations conversations) {
        this.connections = connections;
        this.leads = leads;
        this.sync = sync;
        this.contacts = contacts;
        this.conversations = conversations;
    }

    /**
     * The CRM's verdict for one AI answer. True only means the CRM does not object: the conversation's own
     * state (a person owning it, a pause set for another reason) still applies and must be checked as before.
     *
     * @param aiMayAnswer  false: leave the message for the humans (the conversation's AI is paused already)
     * @param reason       why, for logs and the conversation's history
     * @param crmReachable false when the verdict comes from the last known stage because Kommo did not answer
     */
    public record Decision(boolean aiMayAnswer, String reason, boolean crmReachable) {
        private static final Decision NO_CRM = new Decision(true, "no CRM connected", true);

        /** Whether the CRM was asked (and may have paused or resumed the AI on the conversation). */
        public boolean crmConsulted() {
            return this != NO_CRM;
        }
    }

    /** Whether an AI pause was set by the CRM (and so may be lifted by the CRM when the lead moves on). */
    public static boolean pausedByCrm(String aiDisabledReason) {
        return LeadStageSync.HANDOFF_REASON.equals(aiDisabledReason);
    }

    /** Whether the AI may answer the conversation now, by the lead's stage in the CRM. */
    public Decision beforeAiAnswers(UUID conversationId) {
        Optional<KommoConnection> connection;
        Optional<Contact> contact;
        try {
            connection = connections.find();
            if (connection.isEmpty()) {
                return Decision.NO_CRM;
            }
            contact = conversations.findOptional(conversationId).map(Conversation::contactId).flatMap(contacts::find);
            // a contact never linked by hand is looked up in Kommo by phone, then e-mail, so the handoff stage applies to it too
            if (contact.isPresent() && contact.get().crmLeadId() == null) {
                Contact unlinked = contact.get();
                Optional<Long> found = leads.findLeadByPhone(connection.get(), unlinked.phone())
                        .or(() -> leads.findLeadByEmail(connection.get(), unlinked.email()));
                if (found.isPresent()) {
                    contacts.linkCrmLead(contact.get().id(), found.get());
                    log.info("Contact {} linked to Kommo lead {} found by phone or e-mail", contact.get().id(), found.get());
                    contact = contacts.find(contact.get().id());
                }
            }
            if (contact.isEmpty() || contact.get().crmLeadId() == null) {
                return new Decision(true, "the contact has no CRM lead", true);
            }
        } catch (RuntimeException e) {
            log.warn("CRM check of conversation {} failed before reaching Kommo; letting the AI decide", conversationId, e);
            return new Decision(true, "CRM check failed: " + e.getClass().getSimpleName(), false);
        }
        try {
            return decide(connection.get(), contact.get(), conversationId);
        } catch (RuntimeException e) {
            log.warn("CRM check of conversation {} failed; deciding from the last known stage", conversationId, e);
            return fromLastKnownStage(connection.get(), contact.get(), "CRM check failed");
        }
    }

    private Decision decide(KommoConnection connection, Contact contact, UUID conversationId) {
        LeadRead read = leads.read(connection, contact.crmLeadId());
        List<UUID> here = List.of(conversationId);
        if (read instanceof LeadRead.Found found) {
            boolean handoff = sync.applyStage(connection, contact, found.statusId(), found.pipelineId(), "live_read", here);
            return handoff
                    ? new Decision(false, LeadStageSync.HANDOFF_REASON, true)
                    : new Decision(true, "CRM: lead is not in the human handoff stage", true);
        }
        if (read instanceof LeadRead.Missing missing) {
            sync.leadMissing(contact, missing.why(), here);
            return new Decision(true, "CRM: lead " + contact.crmLeadId() + " no longer exists (" + missing.why() + ")", true);
        }
        String reason = ((LeadRead.Unreachable) read).reason();
        Decision decision = fromLastKnownStage(connection, contact, "CRM unreachable (" + reason + ")");
        if (!decision.aiMayAnswer()) {
            sync.holdForHumans(conversationId);
        }
        sync.recordUnreachable(conversationId, contact, reason, !decision.aiMayAnswer());
        return decision;
    }

    private static Decision fromLastKnownStage(KommoConnection connection, Contact contact, String why) {
        boolean handoff = contact.crmStageId() != null && connection.isHandoff(contact.crmStageId(), null);
        return handoff
                ? new Decision(false, why + "; the last known stage is the human handoff stage", false)
                : new Decision(true, why + "; the last known stage is not the human handoff stage", false);
    }
}
