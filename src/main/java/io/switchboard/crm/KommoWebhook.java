package io.switchboard.crm;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.database.TenantScope;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Kommo's lead status webhook. Kommo signs nothing, so the secret in the URL names the organization
 * (unknown secret: 404). The request is checked and acknowledged at once; each lead is then re-read from
 * Kommo, as its webhooks may arrive late or out of order, and applied. When Kommo cannot be read back, the
 * status_id the webhook carried is used. A lost webhook costs little: the next customer message reads the
 * lead live anyway ({@link CrmGuard}).
 */
@RestController
@RequestMapping("/webhooks/kommo")
class KommoWebhook {

    private static final Logger log = LoggerFactory.getLogger(KommoWebhook.class);

    private final KommoConnections connections;
    private final KommoLeads leads;
    private final LeadStageSync sync;
    private final Contacts contacts;
    // A few threads suffice: each change waits on Kommo at most 2 s and the rate limit bounds the calls.
    // When the queue is full a change is dropped: the next customer message reads the lead live anyway.
    private final ThreadPoolExecutor work = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1_000), runnable -> {
                Thread thread = new Thread(runnable, "kommo-webhook");
                thread.setDaemon(true);
                return thread;
            }, (rejected, executor) -> log.warn("Kommo webhook queue is full; a lead change was dropped"));

    KommoWebhook(KommoConnections connections, KommoLeads leads, LeadStageSync sync, Contacts contacts) {
        this.connections = connections;
        this.leads = leads;
        this.sync = sync;
        this.contacts = contacts;
    }

    @PostMapping("/{secret}")
    ResponseEntity<Void> leadStatus(@PathVariable String secret, HttpServletRequest request) {
        UUID organizationId = connections.organizationForWebhookSecret(secret)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown Kommo webhook"));
        List<KommoStatusChange> changes;
        try {
            changes = KommoStatusChange.parse(request.getParameterMap());
        } catch (KommoStatusChange.MalformedWebhook e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        if (!changes.isEmpty()) {
            work.execute(() -> TenantScope.run(organizationId, () -> changes.forEach(change -> apply(organizationId, change))));
        }
        return ResponseEntity.ok().build();
    }

    private void apply(UUID organizationId, KommoStatusChange change) {
        try {
            Optional<KommoConnection> connection = connections.find();
            if (connection.isEmpty()) {
                return; // disconnected since the webhook was accepted
            }
            List<Contact> linked = contacts.findByCrmLead(change.leadId());
            if (linked.isEmpty()) {
                return;
            }
            LeadRead read = leads.readFresh(connection.get(), change.leadId());
            for (Contact contact : linked) {
                List<UUID> open = sync.openConversations(contact.id());
                if (read instanceof LeadRead.Found found) {
                    sync.applyStage(connection.get(), contact, found.statusId(), found.pipelineId(), "webhook", open);
                } else if (read instanceof LeadRead.Missing missing) {
                    sync.leadMissing(contact, missing.why(), open);
                } else {
                    // Kommo cannot confirm: the webhook's own word is the newest we have
                    sync.applyStage(connection.get(), contact, change.statusId(), change.pipelineId(),
                            "webhook_unconfirmed", open);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Kommo webhook for lead {} of organization {} could not be applied", change.leadId(), organizationId, e);
        }
    }

    @PreDestroy
    void stop() {
        work.shutdown();
    }
}
