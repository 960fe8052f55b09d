package io.switchboard.routing;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * "Something changed that may let a department's queue move": requests to drain a queue, run once the
 * requesting transaction commits, on this node's routing thread. Requests for the same queue that arrive
 * while one is pending become one drain. The periodic sweep ({@link QueueSweep}) catches anything a crash lost.
 */
@Component
class QueueKicks implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(QueueKicks.class);

    record Queue(UUID organizationId, UUID departmentId) {
    }

    private final Router router;
    private final Set<Queue> pending = ConcurrentHashMap.newKeySet();
    private final ExecutorService drains = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "routing-drain");
        thread.setDaemon(true);
        return thread;
    });

    QueueKicks(@Lazy Router router) {
        this.router = router;
    }

    /** Drains the queue after the current transaction commits (at once when there is none). */
    void request(UUID organizationId, UUID departmentId) {
        Queue queue = new Queue(organizationId, departmentId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    submit(queue);
                }
            });
        } else {
            submit(queue);
        }
    }

    private void submit(Queue queue) {
        if (!pending.add(queue)) {
            return;
        }
        drains.execute(() -> {
            pending.remove(queue);
            try {
                router.drain(queue.organizationId(), queue.departmentId());
            } catch (RuntimeException e) {
                log.warn("Draining the queue of department {} failed; the sweep retries: {}", queue.departmentId(), e.toString(), e);
            }
        });
    }

    @Override
    public void destroy() {
        drains.shutdownNow();
    }
}
