package io.switchboard.bench;

import java.util.Locale;

/** The run's results as the markdown that goes into bench/results/latest.md and the README. */
final class ResultsTable {

    private final Benchmark.Results r;

    ResultsTable(Benchmark.Results results) {
        this.r = results;
    }

    String markdown() {
        Benchmark.Options o = r.options;
        StringBuilder md = new StringBuilder();
        md.append(format("Run %s on %d cores; harness on %s %s, app on %s%s; app, PostgreSQL (fsync on) and this harness "
                        + "share the machine. App settings: %s. Whole run %d s.%n%n",
                o.today(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), r.appJvm,
                o.appJvmOptions.isEmpty() ? "" : " with " + String.join(" ", o.appJvmOptions),
                o.appArgs.isEmpty() ? "defaults, pool " + o.poolSize : String.join(" ", o.appArgs) + ", pool " + o.poolSize,
                r.runSeconds));

        Benchmark.LevelRow peak = null;
        if (!r.levels.isEmpty()) {
            md.append(format("Closed loop, LLM latency %d ms: at each level that many customers at a time, each a new "
                    + "conversation (signed webhook → turn → reply at the fake Twilio), the next one as soon as the answer "
                    + "arrives (a customer gives up after %d s); %d s settle, %d s measured.%n%n", o.llmLatencyMillis,
                    o.replyTimeout().toSeconds(), o.settleSeconds, o.seconds));
            md.append("| concurrency | turns/s | webhook ack p50 | webhook ack p99 | message→answer p50 | message→answer p99 "
                    + "| turn job mean | delivery job mean | DB commits per turn | WAL syncs per turn | failed webhooks "
                    + "| missing answers | answers by fallback | duplicate answers | peak heap used | peak RSS | peak app threads "
                    + "| LLM calls in flight (max) |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Benchmark.LevelRow row : r.levels) {
                var l = row.level();
                md.append(format("| %d | %.1f | %s | %s | %s | %s | %s | %s | %.1f | %.1f | %d | %d | %d | %d | %s | %s | %s | %d |%n",
                        l.concurrency(), l.turnsPerSecond(),
                        millis(l.ack().percentileMillis(50)), millis(l.ack().percentileMillis(99)),
                        millis(l.inboundToOutbound().percentileMillis(50)), millis(l.inboundToOutbound().percentileMillis(99)),
                        millis(row.turnJobMillis()), millis(row.deliveryJobMillis()),
                        row.commitsPerTurn(), row.walSyncsPerTurn(), l.failedWebhooks(), l.missingReplies(), l.fallbacks(),
                        row.duplicates(), mb(row.peaks().heapUsedBytes()), mb(row.peaks().residentBytes()),
                        count(row.peaks().threads()), row.llmCallsInFlight()));
                if (peak == null || l.turnsPerSecond() > peak.level().turnsPerSecond()) {
                    peak = row;
                }
            }
            md.append('\n');
        }

        if (!r.bursts.isEmpty()) {
            md.append(format("Bursts: that many new customers write at the same moment (all webhooks sent concurrently) and "
                    + "each waits for one answer; the harness waits (2 × LLM latency + 60 s unless told) from the first "
                    + "webhook, then makes the LLM answer at once and counts what arrives in the next %d s as late. Latency "
                    + "percentiles are over all customers (a customer without the answer in time ranks last: \"> wait\"). "
                    + "The fake LLM's own delay: per call, its time beyond the configured latency (handler start to "
                    + "response written), the harness's share of message → answer. Message → LLM call: from the webhook sent "
                    + "to the customer's LLM call arriving at the fake (ingest, turn start, context read); LLM answer → "
                    + "customer: from the fake's answer written to the reply arriving at the fake Twilio (answer stored, sent).%n%n",
                    o.burstDrainSeconds));
            md.append("| customers at once | LLM latency | wait | webhooks sent within | webhook ack p99 | failed webhooks | answered in time | answers by fallback "
                    + "| missing answers (late) | duplicate answers | message→answer p50 | message→answer p99 "
                    + "| message→LLM call p50 | message→LLM call p99 | LLM answer→customer p50 | LLM answer→customer p99 | turns/s "
                    + "| DB commits per turn | WAL syncs per turn | LLM calls in flight (max) | fake LLM's own delay p99 | peak heap used | peak heap committed "
                    + "| peak RSS | peak app threads |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Benchmark.BurstRow row : r.bursts) {
                BurstLoad.Result b = row.result();
                md.append(format("| %d | %s | %d s | %s | %s | %d | %d | %d | %d (%d) | %d | %s | %s | %s | %s | %s | %s | %.1f | %.1f | %.1f | %d | %s | %s | %s | %s | %s |%n",
                        b.customers(), millis(b.llmLatencyMillis()), b.waited().toSeconds(), millis(b.sendSpreadMillis()), millis(b.ack().percentileMillis(99)), b.failedWebhooks(), b.answered(),
                        b.fallbacks(), b.missing(), b.late(), row.duplicates(),
                        late(b.answer().percentileMillis(50, b.customers()), b), late(b.answer().percentileMillis(99, b.customers()), b),
                        millis(b.toLlm().percentileMillis(50)), millis(b.toLlm().percentileMillis(99)),
                        millis(b.afterLlm().percentileMillis(50)), millis(b.afterLlm().percentileMillis(99)),
                        b.turnsPerSecond(), row.commitsPerTurn(), row.walSyncsPerTurn(), row.llmCallsInFlight(),
                        millis(row.llmOvershoot().percentileMillis(99)), mb(row.peaks().heapUsedBytes()), mb(row.peaks().heapCommittedBytes()), mb(row.peaks().residentBytes()),
                        count(row.peaks().threads())));
            }
            md.append('\n');
        }

        if (r.dataset != null) {
            Dataset.Summary d = r.dataset;
            md.append(format("Seeded dataset: %d organizations, %,d users, %,d contacts, %,d conversations, %,d messages in "
                            + "Portuguese (each tenant's newest conversation has %d), %,d LLM calls, written with COPY by the %s in %.0f s "
                            + "(vacuum analyze and a checkpoint included); database %.0f MB. Timed through the API one request at a time, "
                            + "rotating over %d tenants' bearer tokens, up to %d requests or %d s per query after a request "
                            + "per tenant and as many requests again to warm the app's JIT for it (their p99: \"while "
                            + "warming\", what a freshly started node's first users see)%s.%n%n",
                    d.organizations(), d.users(), d.contacts(), d.conversations(), d.messages(), d.longConversation(),
                    d.llmCalls(), d.writer(),
                    d.seconds(), d.databaseBytes() / 1048576.0, Math.min(o.datasetTenants, d.organizations()), o.datasetRequests,
                    o.datasetBudgetSeconds, r.apiPeaks == null ? ""
                            : format("; app peak heap used %s, RSS %s meanwhile", mb(r.apiPeaks.heapUsedBytes()), mb(r.apiPeaks.residentBytes()))));
            md.append("| query | p50 | p99 | requests | p99 while warming | rows in the answer | note |\n|---|---:|---:|---:|---:|---:|---|\n");
            for (ApiTimings.Row row : r.apiRows) {
                if (row.failure() != null) {
                    md.append(format("| %s | %s | | %d | | | `%s` |%n", row.query(), row.failure(), row.latencies().count(), row.path()));
                } else {
                    md.append(format("| %s | %s | %s | %d | %s | %s | %s |%n", row.query(), millis(row.latencies().percentileMillis(50)),
                            millis(row.latencies().percentileMillis(99)), row.latencies().count(),
                            row.warming().count() == 0 ? "–" : millis(row.warming().percentileMillis(99)), count(row.items()),
                            row.note() == null ? "" : row.note()));
                }
            }
            md.append('\n');
        }

        md.append("| measure | value |\n|---|---:|\n");
        if (peak != null) {
            double peakTurns = peak.level().turnsPerSecond();
            md.append(format("| sustained turns/s (best closed-loop level) | %.1f at concurrency %d |%n", peakTurns, peak.level().concurrency()));
            if (!Double.isNaN(r.rawInsertsPerSecond)) {
                md.append(format("| our turns/s ÷ raw insert+commits/s | %.3f (1 : %.0f) |%n", peakTurns / r.rawInsertsPerSecond,
                        r.rawInsertsPerSecond / peakTurns));
            }
        }
        if (!Double.isNaN(r.rawInsertsPerSecond)) {
            md.append(format("| raw PostgreSQL single-row insert+commit/s, %d connections (same database, same pool size) | %.0f |%n",
                    o.poolSize, r.rawInsertsPerSecond));
        }
        if (r.flatness != null) {
            HistoryFlatness.Result f = r.flatness;
            md.append(format("| turn job with %d prior messages, p50 / max of %d | %s / %s |%n", f.shortHistory(), o.repetitions,
                    millis(f.shortTurnJobs().percentileMillis(50)), millis(f.shortTurnJobs().percentileMillis(100))));
            md.append(format("| turn job with %,d prior messages, p50 / max of %d | %s / %s |%n", f.longHistory(), o.repetitions,
                    millis(f.longTurnJobs().percentileMillis(50)), millis(f.longTurnJobs().percentileMillis(100))));
            md.append(format("| customer message → answer at Twilio, %d vs %,d prior messages, p50 (idle app: includes polling waits) "
                            + "| %s vs %s |%n", f.shortHistory(), f.longHistory(),
                    millis(f.shortTurns().percentileMillis(50)), millis(f.longTurns().percentileMillis(50))));
        }
        md.append(format("| heap used after the run (after a full GC, jcmd) | %s |%n", mb(r.heapAfterGcBytes)));
        md.append(format("| app resident memory after the run | %s |%n", mb(r.residentAfterBytes)));
        md.append(format("| start-up to healthy (fresh data directory: initdb + migrations) | %.1f s |%n", r.startupMillis / 1000.0));
        md.append(format("| outbound messages to numbers no customer wrote from | %d |%n", r.unknownOutbound));
        md.append(format("| deliveries interrupted mid-call that asked Twilio's message list before sending again | %d |%n", r.twilioLookups));
        md.append(format("| WARN/ERROR lines in the app log during the run | %d |%n", r.logProblems));
        return md.toString();
    }

    private static String late(double millis, BurstLoad.Result b) {
        return Double.isInfinite(millis) ? "> " + b.waited().toSeconds() + " s" : millis(millis);
    }

    private static String millis(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        if (value >= 10_000) {
            return format("%.1f s", value / 1000);
        }
        return value < 10 ? format("%.1f ms", value) : format("%.0f ms", value);
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "–" : format("%.0f MB", bytes / 1048576.0);
    }

    private static String count(long n) {
        return n < 0 ? "–" : Long.toString(n);
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
