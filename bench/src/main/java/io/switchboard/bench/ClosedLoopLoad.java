package io.switchboard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code concurrency} customers at a time, each a new phone number (so a new contact and conversation):
 * send one signed webhook, wait for the AI's answer to reach the fake Twilio, then the next new customer.
 * Closed loop, so the latency measured is the latency at that many conversations in flight, not a queue
 * growing without bound; turns per second is completions over the measured window.
 */
final class ClosedLoopLoad {

    private static final AtomicLong PHONES = new AtomicLong();

    private final SwitchboardApi api;
    private final FakeProviders fakes;
    private final UUID accountId;
    private final Duration replyTimeout;

    ClosedLoopLoad(SwitchboardApi api, FakeProviders fakes, UUID accountId, Duration replyTimeout) {
        this.api = api;
        this.fakes = fakes;
        this.accountId = accountId;
        this.replyTimeout = replyTimeout;
    }

    /**
     * One concurrency level's outcome; a customer whose first outbound message was not the AI's answer counts
     * in {@code fallbacks}, not in the latencies; one who heard nothing within the reply timeout in
     * {@code missingReplies}.
     */
    record Level(int concurrency, int turns, double turnsPerSecond, Latencies ack, Latencies inboundToOutbound,
                 int failedWebhooks, int missingReplies, int fallbacks) {
    }

    /** A distinct customer number per conversation for the whole run. */
    static String newPhone() {
        return "+55119" + String.format("%08d", PHONES.incrementAndGet());
    }

    /**
     * Runs {@code settle + measure}: latencies of the turns started in the measured window, throughput of the
     * answers arriving in it; the settle time lets connection pools and the JIT warm to this level first.
     */
    Level run(int concurrency, Duration settle, Duration measure) throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + settle.toNanos();
        long end = measureFrom + measure.toNanos();
        Latencies ack = new Latencies();
        Latencies inboundToOutbound = new Latencies();
        AtomicInteger completedInWindow = new AtomicInteger();
        AtomicInteger failedWebhooks = new AtomicInteger();
        AtomicInteger missingReplies = new AtomicInteger();
        AtomicInteger fallbacks = new AtomicInteger();
        List<Thread> customers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread customer = Thread.ofVirtual().name("customer-" + i).start(() -> {
                while (System.nanoTime() < end) {
                    String phone = newPhone();
                    CompletableFuture<FakeProviders.Reply> reply = fakes.awaitReplyTo(phone);
                    long sent = System.nanoTime();
                    int status;
                    try {
                        status = api.customerMessage(accountId, "SM" + UUID.randomUUID().toString().replace("-", ""), phone,
                                "Hi, when will my order arrive?");
                    } catch (Exception e) {
                        status = -1;
                    }
                    long acked = System.nanoTime();
                    boolean counted = sent >= measureFrom;
                    if (status != 200) {
                        failedWebhooks.incrementAndGet();
                        continue;
                    }
                    try {
                        FakeProviders.Reply answer = reply.get(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
                        long arrived = answer.arrivedNanos();
                        if (!answer.expectedAnswer()) {
                            fallbacks.incrementAndGet();
                            continue;
                        }
                        if (counted) {
                            ack.add(acked - sent);
                            inboundToOutbound.add(arrived - sent);
                        }
                        // throughput counts every answer arriving in the window, whenever its webhook went out
                        if (arrived >= measureFrom && arrived <= end) {
                            completedInWindow.incrementAndGet();
                        }
                    } catch (TimeoutException e) {
                        missingReplies.incrementAndGet();
                    } catch (Exception e) {
                        missingReplies.incrementAndGet();
                    }
                }
            });
            customers.add(customer);
        }
        for (Thread customer : customers) {
            customer.join();
        }
        int turns = completedInWindow.get();
        return new Level(concurrency, turns, turns / (measure.toNanos() / 1e9), ack, inboundToOutbound,
                failedWebhooks.get(), missingReplies.get(), fallbacks.get());
    }
}
