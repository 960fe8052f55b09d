package io.switchboard.database;

import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerProperties;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The threads durable jobs run on. A job that waits on a slow provider (an AI turn waiting seconds on the LLM)
 * must not hold a scarce thread, so jobs run on virtual threads when the runtime has them (Java 21+), and the
 * number of jobs in flight is bounded by {@code db-scheduler.threads} instead of by a pool. On Java 17 they run
 * on a pool of that many platform threads. The code stays compiled for 17: virtual threads are found by
 * reflection. The scheduler's own bookkeeping has its own connections ({@link SchedulerConnections}).
 */
@Configuration(proxyBeanMethods = false)
class JobThreads {

    private static final Logger log = LoggerFactory.getLogger(JobThreads.class);

    /** Closed with the context: the scheduler's own connection pool goes with it. */
    @Bean
    SchedulerSetup jobExecutor(DbSchedulerProperties properties, DataSource application,
                               @Value("${switchboard.db.scheduler-pool-size:4}") int schedulerPoolSize) throws SQLException {
        ExecutorService executor = virtualThreads().orElseGet(() -> platformThreads(properties.getThreads()));
        return new SchedulerSetup(executor, SchedulerConnections.over(application, schedulerPoolSize));
    }

    /** The job threads and the scheduler's connections, handed to db-scheduler's Spring Boot starter. */
    record SchedulerSetup(ExecutorService executor, SchedulerConnections connections) implements DbSchedulerCustomizer, AutoCloseable {

        @Override
        public Optional<ExecutorService> executorService() {
            return Optional.of(executor);
        }

        @Override
        public Optional<DataSource> dataSource() {
            return Optional.of(connections);
        }

        @Override
        public void close() {
            connections.close();
        }
    }

    /** One virtual thread per job, or empty on a runtime without virtual threads. */
    static Optional<ExecutorService> virtualThreads() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, "job-", 0L);
            ThreadFactory factory = (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
            ExecutorService executor = (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
                    .invoke(null, factory);
            log.info("Durable jobs run on virtual threads (Java {})", Runtime.version().feature());
            return Optional.of(executor);
        } catch (ReflectiveOperationException noVirtualThreads) {
            return Optional.empty();
        }
    }

    private static ExecutorService platformThreads(int threads) {
        log.info("Durable jobs run on up to {} platform threads: Java {} has no virtual threads", threads, Runtime.version().feature());
        AtomicLong next = new AtomicLong();
        HandOffQueue queue = new HandOffQueue();
        // no core threads: a job goes to an idle thread when one waits, else a new thread up to the limit, else the
        // queue. A plain fixed pool starts a new thread for every job until it has them all, so 32 customers at a
        // time grew it to 1,000 threads (memory, and every thread dump and metrics scrape pays for each)
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, threads, 60, TimeUnit.SECONDS, queue,
                work -> {
                    Thread thread = new Thread(work, "job-" + next.getAndIncrement());
                    thread.setDaemon(true);
                    return thread;
                },
                (work, full) -> {
                    if (!full.isShutdown()) {
                        queue.enqueue(work);
                    }
                });
        return pool;
    }

    /** Offers a job only to a thread already waiting for one, so the pool grows before it queues. */
    private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {
        @Override
        public boolean offer(Runnable work) {
            return tryTransfer(work);
        }

        /** For a job that found every thread busy: it waits for the next one free. */
        void enqueue(Runnable work) {
            super.offer(work);
        }
    }
}
