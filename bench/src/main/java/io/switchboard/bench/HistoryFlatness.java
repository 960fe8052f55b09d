package io.switchboard.bench;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A turn in a conversation with a short history against one with a long history: context building reads
 * only the last messages, so the two must take the same time. Repetitions alternate between the two
 * conversations so that any drift in the machine hits both alike.
 */
final class HistoryFlatness {

    /** The flatness turns run on an idle app with the LLM at the run's closed-loop latency. */
    private static final java.time.Duration REPLY_TIMEOUT = java.time.Duration.ofSeconds(60);

    private final SwitchboardApi api;
    private final FakeProviders fakes;
    private final AppDatabase database;
    private final SchedulerMetrics scheduler;
    private final SwitchboardApi.Setup setup;

    HistoryFlatness(SwitchboardApi api, FakeProviders fakes, AppDatabase database, SchedulerMetrics scheduler,
                    SwitchboardApi.Setup setup) {
        this.api = api;
        this.fakes = fakes;
        this.database = database;
        this.scheduler = scheduler;
        this.setup = setup;
    }

    /**
     * Per history length: customer message → answer at Twilio (includes the scheduler's polling waits, so it
     * moves in steps of the polling interval), and the turn job's own execution time (the sensitive measure).
     */
    record Result(long shortHistory, long longHistory, Latencies shortTurns, Latencies longTurns, Latencies shortTurnJobs,
                  Latencies longTurnJobs) {
    }

    Result run(int shortHistory, int longHistory, int repetitions) throws Exception {
        String shortPhone = ClosedLoopLoad.newPhone();
        String longPhone = ClosedLoopLoad.newPhone();
        AppDatabase.ConversationRef shortConversation = conversationWithHistory(shortPhone, shortHistory);
        AppDatabase.ConversationRef longConversation = conversationWithHistory(longPhone, longHistory);
        long shortCount = database.messageCount(setup.organizationId(), shortConversation.conversationId());
        long longCount = database.messageCount(setup.organizationId(), longConversation.conversationId());
        Latencies shortTurns = new Latencies();
        Latencies longTurns = new Latencies();
        Latencies shortTurnJobs = new Latencies();
        Latencies longTurnJobs = new Latencies();
        for (int i = 0; i < repetitions; i++) {
            timedTurn(shortPhone, shortConversation, shortTurns, shortTurnJobs);
            timedTurn(longPhone, longConversation, longTurns, longTurnJobs);
        }
        return new Result(shortCount, longCount, shortTurns, longTurns, shortTurnJobs, longTurnJobs);
    }

    /** Opens the conversation with a real turn, then fills its past up to {@code total} messages. */
    private AppDatabase.ConversationRef conversationWithHistory(String phone, int total) throws Exception {
        String sid = newSid();
        turn(phone, sid);
        AppDatabase.ConversationRef conversation = database.conversationOf(setup.organizationId(), sid);
        long existing = database.messageCount(setup.organizationId(), conversation.conversationId());
        database.addHistory(setup.organizationId(), conversation, (int) Math.max(0, total - existing));
        return conversation;
    }

    private void timedTurn(String phone, AppDatabase.ConversationRef conversation, Latencies turns, Latencies turnJobs)
            throws Exception {
        SchedulerMetrics.Executions before = scheduler.executions(SchedulerMetrics.TURN);
        try {
            turns.add(turn(phone, newSid()));
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + REPLY_TIMEOUT + " in conversation "
                    + conversation.conversationId() + ":\n" + database.describe(setup.organizationId(), conversation.conversationId()));
        }
        // the answer can reach Twilio a moment before the turn job records its own completion
        long deadline = System.nanoTime() + 5_000_000_000L;
        SchedulerMetrics.Executions after = scheduler.executions(SchedulerMetrics.TURN);
        while (after.count() == before.count() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            after = scheduler.executions(SchedulerMetrics.TURN);
        }
        if (after.count() != before.count() + 1) {
            throw new IllegalStateException("expected one turn job, saw " + (after.count() - before.count()));
        }
        turnJobs.add((long) ((after.seconds() - before.seconds()) * 1e9));
    }

    /** Customer message → the AI's answer at the fake Twilio, in nanoseconds. */
    private long turn(String phone, String sid) throws Exception {
        var reply = fakes.awaitReplyTo(phone);
        long sent = System.nanoTime();
        int status = api.customerMessage(setup.accountId(), sid, phone, "And can I change the delivery address?");
        if (status != 200) {
            throw new IllegalStateException("webhook answered " + status);
        }
        return reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).arrivedNanos() - sent;
    }

    private static String newSid() {
        return "SM" + UUID.randomUUID().toString().replace("-", "");
    }
}
