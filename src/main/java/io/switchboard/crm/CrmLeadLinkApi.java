package io.switchboard.crm;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Links a contact to its Kommo lead (AGENT). When Kommo is connected the lead is read at once, so a lead
 * already with a salesperson silences the AI from the first message on.
 */
@RestController
@RequestMapping("/api/v1/contacts/{contactId}/crm_lead")
@PreAuthorize("hasRole('AGENT')")
class CrmLeadLinkApi {

    private final Contacts contacts;
    private final KommoConnections connections;
    private final KommoLeads leads;
    private final LeadStageSync sync;

    CrmLeadLinkApi(Contacts contacts, KommoConnections connections, KommoLeads leads, LeadStageSync sync) {
        this.contacts = contacts;
        this.connections = connections;
        this.leads = leads;
        this.sync = sync;
    }

    record LeadLink(Long leadId) {
    }

    record LinkView(UUID contactId, Long crmLeadId, Long crmStageId, Instant crmStageReadAt) {
    }

    @PutMapping
    LinkView link(@PathVariable UUID contactId, @RequestBody LeadLink body) {
        if (body.leadId() == null || body.leadId() <= 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "lead_id is required: the id of the lead in Kommo");
        }
        // another organization's contact is invisible here (row-level security), hence 404 rather than 403
        Contact contact = contacts.find(contactId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "contact " + contactId + " not found"));
        contacts.linkCrmLead(contactId, body.leadId());
        Contact linked = contacts.find(contactId).orElseThrow();
        if (!body.leadId().equals(contact.crmLeadId())) {
            connections.find().ifPresent(connection -> {
                LeadRead read = leads.readFresh(connection, body.leadId());
                if (read instanceof LeadRead.Found found) {
                    sync.applyStage(connection, linked, found.statusId(), found.pipelineId(), "lead_linked",
                            sync.openConversations(contactId));
                }
            });
        }
        Optional<Contact> now = contacts.find(contactId);
        return now.map(c -> new LinkView(c.id(), c.crmLeadId(), c.crmStageId(), c.crmStageReadAt())).orElseThrow();
    }
}
