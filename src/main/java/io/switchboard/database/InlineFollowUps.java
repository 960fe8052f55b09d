package io.switchboard.database;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Follow-up work a background thread does itself right after its transaction commits, instead of leaving it to a
 * durable job another poll would claim: an AI turn sends the answer it just stored. Each follow-up still has its
 * durable job, scheduled for later as a safety net in case this node dies first (the owner of the work makes
 * sure the two never both act, e.g. {@code OutboundDelivery}). A claim, a wake-up and a completion fewer per
 * answer, and no wait for the scheduler's next look.
 *
 * <p>Offered only inside {@link #runDuring}: a web request (a person's message from the inbox) or a bulk job
 * leaves its follow-ups to the jobs, so nobody waits on a provider call they did not ask to wait for.
 */
public final class InlineFollowUps {

    private static final Logger log = LoggerFactory.getLogger(InlineFollowUps.class);
    private static final ThreadLocal<List<Runnable>> OFFERED = new ThreadLocal<>();

    private InlineFollowUps() {
    }

    /**
     * Runs {@code work} (which commits its own transactions), then, on this thread and outside any transaction,
     * the follow-ups its committed transactions handed over; a rolled-back transaction hands over nothing.
     */
    public static <T> T runDuring(Supplier<T> work) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return work.get(); // its commit is the caller's, later: the follow-ups stay with the jobs
        }
        List<Runnable> outer = OFFERED.get();
        List<Runnable> followUps = new ArrayList<>();
        OFFERED.set(followUps);
        try {
            return work.get();
        } finally {
            OFFERED.set(outer);
            for (Runnable followUp : followUps) {
                try {
                    followUp.run();
                } catch (RuntimeException e) {
                    // its safety-net job does it later
                    log.warn("A follow-up done right after its commit failed; its job will do it", e);
                }
            }
        }
    }

    /** Whether this thread, in a transaction, would take a follow-up ({@link #take}). */
    public static boolean offered() {
        return OFFERED.get() != null && TransactionSynchronizationManager.isSynchronizationActive();
    }

    /**
     * Hands {@code followUp} over to run once the current transaction has committed, if this thread offered to
     * ({@link #runDuring}) and a transaction is active.
     *
     * @return whether it was taken; when not, the caller schedules it as usual
     */
    public static boolean take(Runnable followUp) {
        if (!offered()) {
            return false;
        }
        List<Runnable> followUps = OFFERED.get();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                followUps.add(followUp);
            }
        });
        return true;
    }
}
