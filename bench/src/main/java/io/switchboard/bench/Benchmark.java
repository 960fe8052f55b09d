package io.switchboard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Switchboard under load on this machine: the app jar as a child process on its embedded PostgreSQL,
 * fake OpenAI-compatible and Twilio servers in this process, signed webhooks at increasing concurrency,
 * then the raw PostgreSQL baseline, the history-flatness check and the heap. Writes a markdown table.
 *
 * <p>Options ({@code --name=value}): {@code levels} (1,4,16,32), {@code seconds} measured per level (15),
 * {@code settle-seconds} per level (3), {@code warmup-seconds} (8), {@code llm-latency-ms} (0),
 * {@code pool-size} (10, the app's default), {@code baseline-seconds} (10), {@code repetitions} of the
 * flatness turn (11), {@code out} (bench/results/latest.md), {@code jar}, {@code keep-data} (false).
 * Arguments after {@code --} go to the app unchanged (e.g. {@code --db-scheduler.polling-interval=100ms}).
 */
public final class Benchmark {

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        long runStarted = System.nanoTime();
        try (FakeProviders fakes = new FakeProviders(options.llmLatencyMillis)) {
            String token = "bench-" + UUID.randomUUID();
            AppProcess app = AppProcess.start(options.jar, token, fakes.baseUrl(), options.poolSize, options.appArgs);
            try {
                progress("app pid %d, log %s", app.pid(), app.log());
                long startupMillis = app.awaitHealthy(Duration.ofMinutes(3));
                progress("healthy after %d ms", startupMillis);
                SwitchboardApi api = new SwitchboardApi(app.baseUrl(), token);
                SwitchboardApi.Setup setup = api.configure(fakes.baseUrl());
                AppDatabase database = new AppDatabase(app.postgresPort());
                ClosedLoopLoad load = new ClosedLoopLoad(api, fakes, setup.accountId());
                SchedulerMetrics scheduler = new SchedulerMetrics(app.baseUrl());

                progress("warm-up: %d s at concurrency 4", options.warmupSeconds);
                load.run(4, Duration.ZERO, Duration.ofSeconds(options.warmupSeconds));

                List<LevelRow> levels = new ArrayList<>();
                for (int concurrency : options.levels) {
                    AppDatabase.Counters countersBefore = database.counters();
                    SchedulerMetrics.Executions turnsBefore = scheduler.executions(SchedulerMetrics.TURN);
                    SchedulerMetrics.Executions deliveriesBefore = scheduler.executions(SchedulerMetrics.DELIVERY);
                    long answersBefore = fakes.answersDelivered();
                    ClosedLoopLoad.Level level = load.run(concurrency, Duration.ofSeconds(options.settleSeconds),
                            Duration.ofSeconds(options.seconds));
                    Thread.sleep(1500); // PostgreSQL publishes its counters about once a second
                    double answers = fakes.answersDelivered() - answersBefore;
                    AppDatabase.Counters countersAfter = database.counters();
                    LevelRow row = new LevelRow(level,
                            (countersAfter.commits() - countersBefore.commits()) / answers,
                            (countersAfter.walSyncs() - countersBefore.walSyncs()) / answers,
                            scheduler.executions(SchedulerMetrics.TURN).meanMillisSince(turnsBefore),
                            scheduler.executions(SchedulerMetrics.DELIVERY).meanMillisSince(deliveriesBefore));
                    levels.add(row);
                    progress("concurrency %d: %.1f turns/s, ack p50 %.1f ms, inbound→outbound p50 %.0f ms p99 %.0f ms, "
                                    + "turn job %.0f ms, delivery job %.0f ms, %.1f commits and %.1f WAL syncs per turn",
                            concurrency, level.turnsPerSecond(), level.ack().percentileMillis(50),
                            level.inboundToOutbound().percentileMillis(50), level.inboundToOutbound().percentileMillis(99),
                            row.turnJobMillis(), row.deliveryJobMillis(), row.commitsPerTurn(), row.walSyncsPerTurn());
                }

                progress("raw PostgreSQL insert+commit, %d connections, %d s", options.poolSize, options.baselineSeconds);
                double rawInsertsPerSecond = database.insertCommitsPerSecond(options.poolSize, Duration.ofSeconds(options.baselineSeconds));
                progress("raw: %.0f inserts/s", rawInsertsPerSecond);

                progress("flatness: 10 vs 10,000 prior messages, %d repetitions", options.repetitions);
                HistoryFlatness.Result flatness = new HistoryFlatness(api, fakes, database, scheduler, setup).run(10, 10_000, options.repetitions);

                long heapBytes = app.heapUsedAfterGcBytes();
                long residentBytes = app.residentBytes();
                long logProblems = app.logProblems();
                String table = new ResultsTable(options, startupMillis, levels, rawInsertsPerSecond, flatness, heapBytes,
                        residentBytes, fakes.unexpectedOutbound(), logProblems, (System.nanoTime() - runStarted) / 1_000_000_000L).markdown();
                System.out.println();
                System.out.println(table);
                Files.createDirectories(options.out.toAbsolutePath().getParent());
                Files.writeString(options.out, table);
                progress("written to %s", options.out);
            } catch (Exception | Error e) {
                System.err.println("Benchmark failed: " + e + "\nLast lines of the app log:\n" + app.tail(40));
                throw e;
            } finally {
                app.close(options.keepData);
            }
        }
        System.exit(0); // HttpClient and server threads are not daemons
    }

    /**
     * A level's measurements; per turn over the whole level: database commits and WAL syncs, and the mean
     * execution time of the turn job and of the delivery job (no polling wait included).
     */
    record LevelRow(ClosedLoopLoad.Level level, double commitsPerTurn, double walSyncsPerTurn, double turnJobMillis,
                    double deliveryJobMillis) {
    }

    static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }

    /** The run's parameters. */
    static final class Options {
        int[] levels = {1, 4, 16, 32};
        int seconds = 15;
        int settleSeconds = 3;
        int warmupSeconds = 8;
        long llmLatencyMillis = 0;
        int poolSize = 10;
        int baselineSeconds = 10;
        int repetitions = 11;
        Path out = Path.of("bench/results/latest.md");
        Path jar;
        boolean keepData;
        List<String> appArgs = new ArrayList<>();

        static Options parse(String[] args) throws Exception {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--")) {
                    o.appArgs.addAll(Arrays.asList(args).subList(i + 1, args.length));
                    break;
                }
                String[] pair = arg.replaceFirst("^--", "").split("=", 2);
                String value = pair.length == 2 ? pair[1] : "true";
                switch (pair[0]) {
                    case "levels" -> o.levels = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
                    case "seconds" -> o.seconds = Integer.parseInt(value);
                    case "settle-seconds" -> o.settleSeconds = Integer.parseInt(value);
                    case "warmup-seconds" -> o.warmupSeconds = Integer.parseInt(value);
                    case "llm-latency-ms" -> o.llmLatencyMillis = Long.parseLong(value);
                    case "pool-size" -> o.poolSize = Integer.parseInt(value);
                    case "baseline-seconds" -> o.baselineSeconds = Integer.parseInt(value);
                    case "repetitions" -> o.repetitions = Integer.parseInt(value);
                    case "out" -> o.out = Path.of(value);
                    case "jar" -> o.jar = Path.of(value);
                    case "keep-data" -> o.keepData = Boolean.parseBoolean(value);
                    default -> throw new IllegalArgumentException("unknown option " + arg + " (see Benchmark's Javadoc)");
                }
            }
            if (o.jar == null) {
                try (var jars = Files.newDirectoryStream(Path.of("target"), "switchboard-*.jar")) {
                    for (Path jar : jars) {
                        o.jar = jar;
                    }
                }
                if (o.jar == null) {
                    throw new IllegalStateException("no target/switchboard-*.jar: run ./mvnw -DskipTests package (bench/run does)");
                }
            }
            return o;
        }

        String today() {
            return LocalDate.now().toString();
        }
    }
}
