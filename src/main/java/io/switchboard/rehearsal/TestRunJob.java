package io.switchboard.rehearsal;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.switchboard.database.TenantScope;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** The durable job of a test run (the scheduler needs its tasks before the services they call exist: lazy). */
@Configuration(proxyBeanMethods = false)
class TestRunJob {

    @Bean
    OneTimeTask<TestRuns.RunOrder> agentTestRunTask(@Lazy TestRuns runs) {
        return Tasks.oneTime(TestRuns.TASK).execute((instance, context) -> {
            TestRuns.RunOrder order = instance.getData();
            TenantScope.run(order.organizationId(), () -> runs.execute(order.runId()));
        });
    }
}
