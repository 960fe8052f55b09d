package io.switchboard.crm;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.database.DueJobs;
import io.switchboard.database.TenantScope;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Kommo's lead status webhook. Kommo signs nothing, so the secret in the URL names the organization
 * (unknown secret: 404). Each lead change is stored as a durable job before the webhook is acknowledged —
 * a crash or restart cannot lose it — and the job re-reads the lead from Kommo (webhooks may arrive late or
 * out of order) before applying it; when Kommo cannot be read back, the status_id the webhook carried is used.
 */
@RestController
@RequestMapping("/webhooks/kommo")
class KommoWebhook {

    private static final Logger log = LoggerFactory.getLogger(KommoWebhook.class);
    static final TaskDescriptor<LeadChange> TASK = TaskDescriptor.of("kommo-lead-change", LeadChange.class);

    /** One lead's stage change, waiting to be applied. */
    record LeadChange(UUID organizationId, long leadId, long statusId, Long pipelineId) implements Serializable {
    }

    private final KommoConnections connections;
    private final KommoLeads leads;
    private final LeadStageSync sync;
    private final Contacts contacts;
    private final SchedulerClient scheduler;
    private final DueJobs dueJobs;
    private final TransactionTemplate transaction;

    KommoWebhook(KommoConnections connections, KommoLeads leads, LeadStageSync sync, Contacts contacts,
                 @Lazy SchedulerClient scheduler, DueJobs dueJobs, TransactionTemplate transaction) {
        this.connections = connections;
        this.leads = leads;
        this.sync = sync;
        this.contacts = contacts;
        this.scheduler = scheduler;
        this.dueJobs = dueJobs;
        this.transaction = transaction;
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
        transaction.executeWithoutResult(status -> {
            for (KommoStatusChange change : changes) {
                scheduler.schedule(TASK.instance(UUID.randomUUID().toString())
                        .data(new LeadChange(organizationId, change.leadId(), change.statusId(), change.pipelineId()))
                        .scheduledTo(Instant.now()));
            }
            dueJobs.checkAfterCommit();
        });
        return ResponseEntity.ok().build();
    }

    @Bean
    static OneTimeTask<LeadChange> kommoLeadChangeTask(@Lazy KommoWebhook webhook) {
        return Tasks.oneTime(TASK).execute((instance, context) -> webhook.apply(instance.getData()));
    }

    void apply(LeadChange change) {
        TenantScope.run(change.organizationId(), () -> applyInScope(change));
    }

    private void applyInScope(LeadChange change) {
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
                sync.applyStage(connection.get(), contact, change.statusId(), change.pipelineId(), "webhook_unconfirmed", open);
            }
        }
        log.debug("Applied Kommo stage change of lead {}", change.leadId());
    }
}
