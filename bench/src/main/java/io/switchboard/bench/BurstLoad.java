package io.switchboard.bench;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code customers} new customers write at the same moment (a promotion goes out) and each waits for one
 * answer: all webhooks are sent concurrently from virtual threads released together, then the harness waits
 * a bounded time for the answers. What is still unanswered then is "missing"; the LLM is then switched to
 * answer at once so the app's backlog drains, and answers arriving during that drain are "late".
 */
final class BurstLoad {

    private final SwitchboardApi api;
    private final FakeProviders fakes;
    private final UUID accountId;

    BurstLoad(SwitchboardApi api, FakeProviders fakes, UUID accountId) {
        this.api = api;
        this.fakes = fakes;
        this.accountId = accountId;
    }

    /**
     * A burst's outcome. Latency percentiles are over all customers: a customer without the AI's answer within
     * the wait ranks as slower than any answer ({@link Latencies#percentileMillis(double, int)}).
     */
    record Result(int customers, long llmLatencyMillis, Duration waited, double sendSpreadMillis, Latencies ack,
                  Latencies answer, Latencies toLlm, Latencies afterLlm, int failedWebhooks, int answered, int fallbacks,
                  int missing, int late, double turnsPerSecond, double lastAnswerSeconds) {
    }

    Result run(int customers, Duration wait, Duration drain) throws InterruptedException {
        long latency = fakes.llmLatencyMillis();
        List<HttpRequest> webhooks = new ArrayList<>(customers);
        List<CompletableFuture<FakeProviders.Reply>> replies = new ArrayList<>(customers);
        for (int i = 0; i < customers; i++) {
            String phone = ClosedLoopLoad.newPhone();
            webhooks.add(api.customerMessageRequest(accountId, "SM" + UUID.randomUUID().toString().replace("-", ""), phone,
                    FakeProviders.marked("Oi, quando chega o meu pedido?", i)));
            replies.add(fakes.awaitReplyTo(phone));
        }
        long[] sent = new long[customers];
        Latencies ack = new Latencies();
        AtomicInteger failedWebhooks = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>(customers);
        for (int i = 0; i < customers; i++) {
            int n = i;
            senders.add(Thread.ofVirtual().name("burst-" + i).start(() -> {
                try {
                    go.await();
                    sent[n] = System.nanoTime();
                    int status = api.send(webhooks.get(n));
                    ack.add(System.nanoTime() - sent[n]);
                    if (status != 200) {
                        failedWebhooks.incrementAndGet();
                    }
                } catch (Exception e) {
                    failedWebhooks.incrementAndGet();
                }
            }));
        }
        long started = System.nanoTime();
        go.countDown();
        for (Thread sender : senders) {
            sender.join();
        }
        long firstSent = Long.MAX_VALUE;
        long lastSent = Long.MIN_VALUE;
        for (long s : sent) {
            if (s != 0) {
                firstSent = Math.min(firstSent, s);
                lastSent = Math.max(lastSent, s);
            }
        }
        if (firstSent == Long.MAX_VALUE) {
            firstSent = lastSent = started;
        }
        long deadline = firstSent + wait.toNanos();
        CompletableFuture<Void> all = CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new));
        try {
            all.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception notAll) {
            // bounded: whatever has not arrived by now is missing
        }
        Latencies answer = new Latencies();
        // where an answered customer's time went: before the LLM was called (webhook, turn start, context), and
        // after it answered (the answer stored, delivered, received by Twilio)
        Latencies toLlm = new Latencies();
        Latencies afterLlm = new Latencies();
        int answered = 0;
        int fallbacks = 0;
        long lastAnswer = firstSent;
        boolean[] settled = new boolean[customers];
        for (int i = 0; i < customers; i++) {
            FakeProviders.Reply reply = replies.get(i).getNow(null);
            if (reply == null || reply.arrivedNanos() > deadline) {
                continue;
            }
            settled[i] = true;
            if (reply.expectedAnswer()) {
                answered++;
                answer.add(reply.arrivedNanos() - sent[i]);
                FakeProviders.LlmCall call = fakes.llmCallOf(i);
                if (call != null) {
                    toLlm.add(call.startedNanos() - sent[i]);
                    afterLlm.add(reply.arrivedNanos() - call.answeredNanos());
                }
                lastAnswer = Math.max(lastAnswer, reply.arrivedNanos());
            } else {
                fallbacks++;
            }
        }
        int missing = customers - answered - fallbacks;
        int late = 0;
        if (missing > 0) {
            Benchmark.progress("burst %d: %d missing after %d s; LLM latency to 0 ms to drain the backlog for up to %d s",
                    customers, missing, wait.toSeconds(), drain.toSeconds());
            fakes.llmLatencyMillis(0);
            try {
                all.get(drain.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception notAll) {
                // still not everything: reported as missing, not late
            } finally {
                fakes.llmLatencyMillis(latency);
            }
            for (int i = 0; i < customers; i++) {
                if (!settled[i] && replies.get(i).isDone()) {
                    late++;
                }
            }
        }
        double window = (lastAnswer - firstSent) / 1e9;
        return new Result(customers, latency, wait, (lastSent - firstSent) / 1e6, ack, answer, toLlm, afterLlm, failedWebhooks.get(),
                answered, fallbacks, missing, late, window > 0 ? answered / window : 0, window);
    }
}
