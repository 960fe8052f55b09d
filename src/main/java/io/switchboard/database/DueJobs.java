package io.switchboard.database;

import com.github.kagkarlsson.scheduler.Scheduler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes the durable job scheduler when work becomes due now. Jobs are scheduled inside the transaction that
 * made them necessary, and the scheduler's own immediate check runs before that commit and finds nothing —
 * so without this the job waits for the next poll (a second by default) and a lone customer waits with it.
 */
@Component
public class DueJobs {

    private final ObjectProvider<Scheduler> scheduler;

    DueJobs(ObjectProvider<Scheduler> scheduler) {
        this.scheduler = scheduler;
    }

    /** Checks for due jobs once the current transaction commits (at once when there is none). */
    public void checkAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    check();
                }
            });
        } else {
            check();
        }
    }

    private void check() {
        scheduler.ifAvailable(Scheduler::triggerCheckForDueExecutions);
    }
}
