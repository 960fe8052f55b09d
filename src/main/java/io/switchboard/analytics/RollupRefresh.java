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
        // through the conversation row, so a publisher outside any tenant scope marks nothing rather than failing
        jdbc.sql("""
                insert into analytics_dirty_conversations (conversation_id, organization_id, marked_at)
                select id, organization_id, clock_timestamp() from conversations where id = ?
                on conflict (conversation_id) do update set marked_at = excluded.marked_at""")
                .param(changed.conversationId()).update();
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
