package io.switchboard.analytics;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.switchboard.conversation.Events;
import io.switchboard.database.TenantScope;
import io.switchboard.identity.Organization;
import io.switchboard.identity.Organizations;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keeps the read models fresh: every change to a conversation marks it (in the transaction that changed it, so
 * no change is missed), and a cluster-wide recurring job refreshes each organization's models from the marks and
 * the ledgers — by default every minute, so reports lag the inbox by at most about that.
 */
@Configuration(proxyBeanMethods = false)
class RollupRefresh {

    private static final Logger log = LoggerFactory.getLogger(RollupRefresh.class);

    private final JdbcClient jdbc;

    RollupRefresh(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void mark(Events.ConversationChanged changed) {
        if (MarkedInThisTransaction.already(changed.conversationId())) {
            return; // a turn changes its conversation several times in one transaction: one mark is enough
        }
        // through the conversation row, so a publisher outside any tenant scope marks nothing rather than failing
        if (jdbc.sql("""
                insert into analytics_dirty_conversations (conversation_id, organization_id, marked_at)
                select id, organization_id, clock_timestamp() from conversations where id = ?
                on conflict (conversation_id) do update set marked_at = excluded.marked_at""")
                .param(changed.conversationId()).update() > 0) {
            MarkedInThisTransaction.remember(changed.conversationId());
        }
    }

    /**
     * The conversations already marked by the current transaction. Kept as one of the transaction's synchronizations
     * (not a bound resource) because those are suspended with it: a {@code REQUIRES_NEW} transaction inside starts
     * with none and marks for itself, since the outer one may still roll back.
     */
    private static final class MarkedInThisTransaction implements
            org.springframework.transaction.support.TransactionSynchronization {

        private final java.util.Set<java.util.UUID> conversations = new java.util.HashSet<>();

        static boolean already(java.util.UUID conversationId) {
            MarkedInThisTransaction marked = current();
            return marked != null && marked.conversations.contains(conversationId);
        }

        static void remember(java.util.UUID conversationId) {
            if (!org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
                return;
            }
            MarkedInThisTransaction marked = current();
            if (marked == null) {
                marked = new MarkedInThisTransaction();
                org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(marked);
            }
            marked.conversations.add(conversationId);
        }

        private static MarkedInThisTransaction current() {
            if (!org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
                return null;
            }
            for (var synchronization : org.springframework.transaction.support.TransactionSynchronizationManager.getSynchronizations()) {
                if (synchronization instanceof MarkedInThisTransaction marked) {
                    return marked;
                }
            }
            return null;
        }
    }

    @Bean
    RecurringTask<Void> refreshAnalyticsTask(@Lazy Organizations organizations, @Lazy Rollups rollups,
                                             @Value("${switchboard.analytics.refresh-interval:1m}") Duration interval) {
        return Tasks.recurring("refresh-analytics", FixedDelay.of(interval)).execute((instance, context) -> {
            for (Organization organization : TenantScope.asSystem(organizations::all)) {
                try {
                    TenantScope.run(organization.id(), rollups::refresh);
                } catch (RuntimeException e) {
                    // one organization's bad data must not keep every other's reports stale
                    log.warn("Analytics refresh failed for organization {}", organization.id(), e);
                }
            }
        });
    }
}
