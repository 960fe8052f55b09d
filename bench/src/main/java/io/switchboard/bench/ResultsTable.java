package io.switchboard.bench;

import java.util.List;
import java.util.Locale;

/** The run's results as the markdown that goes into bench/results/latest.md and the README. */
final class ResultsTable {

    private final Benchmark.Options options;
    private final long startupMillis;
    private final List<Benchmark.LevelRow> levels;
    private final double rawInsertsPerSecond;
    private final HistoryFlatness.Result flatness;
    private final long heapBytes;
    private final long residentBytes;
    private final long unexpectedOutbound;
    private final long logProblems;
    private final long runSeconds;

    ResultsTable(Benchmark.Options options, long startupMillis, List<Benchmark.LevelRow> levels, double rawInsertsPerSecond,
                 HistoryFlatness.Result flatness, long heapBytes, long residentBytes, long unexpectedOutbound, long logProblems, long runSeconds) {
        this.options = options;
        this.startupMillis = startupMillis;
        this.levels = levels;
        this.rawInsertsPerSecond = rawInsertsPerSecond;
        this.flatness = flatness;
        this.heapBytes = heapBytes;
        this.residentBytes = residentBytes;
        this.unexpectedOutbound = unexpectedOutbound;
        this.logProblems = logProblems;
        this.runSeconds = runSeconds;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(format("Run %s on %d cores, %s %s; app and PostgreSQL (fsync on) and this harness share the machine. "
                        + "LLM latency %d ms. Each level: that many customers at a time, each a new conversation "
                        + "(signed webhook → turn → reply at the fake Twilio); %d s settle, %d s measured. App settings: %s. Whole run %d s.%n%n",
                options.today(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), options.llmLatencyMillis, options.settleSeconds, options.seconds,
                options.appArgs.isEmpty() ? "defaults, pool " + options.poolSize : String.join(" ", options.appArgs) + ", pool " + options.poolSize,
                runSeconds));
        md.append("| concurrency | turns/s | webhook ack p50 | webhook ack p99 | inbound→outbound p50 | inbound→outbound p99 "
                + "| turn job mean | delivery job mean | DB commits per turn | WAL syncs per turn | failed webhooks | missing replies |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Benchmark.LevelRow peak = null;
        for (Benchmark.LevelRow row : levels) {
            var l = row.level();
            md.append(format("| %d | %.1f | %s | %s | %s | %s | %s | %s | %.1f | %.1f | %d | %d |%n", l.concurrency(), l.turnsPerSecond(),
                    millis(l.ack().percentileMillis(50)), millis(l.ack().percentileMillis(99)),
                    millis(l.inboundToOutbound().percentileMillis(50)), millis(l.inboundToOutbound().percentileMillis(99)),
                    millis(row.turnJobMillis()), millis(row.deliveryJobMillis()),
                    row.commitsPerTurn(), row.walSyncsPerTurn(), l.failedWebhooks(), l.missingReplies()));
            if (peak == null || l.turnsPerSecond() > peak.level().turnsPerSecond()) {
                peak = row;
            }
        }
        double peakTurns = peak == null ? 0 : peak.level().turnsPerSecond();
        md.append("\n| measure | value |\n|---|---:|\n");
        md.append(format("| sustained turns/s (best level) | %.1f at concurrency %d |%n", peakTurns,
                peak == null ? 0 : peak.level().concurrency()));
        md.append(format("| raw PostgreSQL single-row insert+commit/s, %d connections (same database, same pool size) | %.0f |%n",
                options.poolSize, rawInsertsPerSecond));
        md.append(format("| our turns/s ÷ raw insert+commits/s | %.3f (1 : %.0f) |%n", peakTurns / rawInsertsPerSecond,
                rawInsertsPerSecond / peakTurns));
        md.append(format("| turn job with %d prior messages, p50 / max of %d | %s / %s |%n", flatness.shortHistory(), options.repetitions,
                millis(flatness.shortTurnJobs().percentileMillis(50)), millis(flatness.shortTurnJobs().percentileMillis(100))));
        md.append(format("| turn job with %,d prior messages, p50 / max of %d | %s / %s |%n", flatness.longHistory(), options.repetitions,
                millis(flatness.longTurnJobs().percentileMillis(50)), millis(flatness.longTurnJobs().percentileMillis(100))));
        md.append(format("| customer message → answer at Twilio, %d vs %,d prior messages, p50 (idle app: includes polling waits) "
                        + "| %s vs %s |%n", flatness.shortHistory(), flatness.longHistory(),
                millis(flatness.shortTurns().percentileMillis(50)), millis(flatness.longTurns().percentileMillis(50))));
        md.append(format("| heap used after the run (after a full GC, jcmd) | %.0f MB |%n", heapBytes / 1048576.0));
        md.append(format("| app resident memory after the run | %.0f MB |%n", residentBytes / 1048576.0));
        md.append(format("| start-up to healthy (fresh data directory: initdb + migrations) | %.1f s |%n", startupMillis / 1000.0));
        md.append(format("| outbound messages that were not the expected answer (fallbacks, duplicates) | %d |%n", unexpectedOutbound));
        md.append(format("| WARN/ERROR lines in the app log during the run | %d |%n", logProblems));
        return md.toString();
    }

    private static String millis(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return value < 10 ? format("%.1f ms", value) : format("%.0f ms", value);
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
