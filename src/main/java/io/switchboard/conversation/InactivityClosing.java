package io.switchboard.conversation;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.switchboard.database.TenantScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * Closes conversations idle longer than their channel account allows ({@code inactivity_close_minutes}),
 * once a minute, as a cluster-wide recurring job: one node does it each time.
 */
@Configuration(proxyBeanMethods = false)
class InactivityClosing {

    private static final Logger log = LoggerFactory.getLogger(InactivityClosing.class);

    @Bean
    RecurringTask<Void> closeInactiveConversationsTask(@Lazy Conversations conversations) {
        return Tasks.recurring("close-inactive-conversations", FixedDelay.ofMinutes(1)).execute((instance, context) -> {
            // every tenant's conversations at once: the account's own limit decides per row
            int closed = TenantScope.asSystem(conversations::closeInactive);
            if (closed > 0) {
                log.info("Closed {} inactive conversations", closed);
            }
        });
    }
}
