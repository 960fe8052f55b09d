package io.switchboard.automation;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.switchboard.database.TenantScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keeps the automation run log to {@code switchboard.automation.run-retention-days} (30 by default): every event
 * logs a run per enabled rule, matched or not, so without a limit the log grows with the traffic. An hourly
 * cluster-wide job (one node each time) deletes older runs in batches. A run's row is also what makes its rule fire
 * once per event; events are handled within seconds, so a month-old claim guards nothing any more.
 */
@Configuration(proxyBeanMethods = false)
class RunLogRetention {

    private static final Logger log = LoggerFactory.getLogger(RunLogRetention.class);
    private static final int BATCH = 10_000;

    @Bean
    RecurringTask<Void> automationRunRetentionTask(@Lazy JdbcClient jdbc,
                                                   @Value("${switchboard.automation.run-retention-days:30}") int days) {
        return Tasks.recurring("automation-run-retention", FixedDelay.ofHours(1))
                .execute((instance, context) -> deleteOlderThan(jdbc, days));
    }

    /** Deletes every tenant's runs older than {@code days} days; returns how many went. */
    static int deleteOlderThan(JdbcClient jdbc, int days) {
        if (days <= 0) {
            return 0; // 0 keeps the log forever
        }
        int total = 0;
        int deleted;
        do {
            deleted = TenantScope.asSystem(() -> jdbc.sql("""
                            delete from automation_runs where id in (
                                select id from automation_runs where created_at < now() - make_interval(days => ?) limit ?)""")
                    .params(days, BATCH).update());
            total += deleted;
        } while (deleted == BATCH);
        if (total > 0) {
            log.info("Deleted {} automation runs older than {} days", total, days);
        }
        return total;
    }
}
