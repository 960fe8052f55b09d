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
 * fake OpenAI-compatible and Twilio servers in this process, signed webhooks at increasing concurrency and
 * in bursts, the raw PostgreSQL baseline, the history-flatness check, the app's peak and final memory, and
 * the inbox's reads on a seeded multi-tenant dataset. Writes markdown tables.
 *
 * <p>Phases, in this order, each skipped when its option says so: closed-loop levels, raw PostgreSQL baseline,
 * history flatness, bursts, then the seeded dataset and the API timings on it.
 *
 * <p>Options ({@code --name=value}):
 * <ul>
 * <li>closed loop: {@code levels} (1,4,16,32; {@code none} skips), {@code seconds} measured per level (15),
 *     {@code settle-seconds} per level (3), {@code warmup-seconds} (8, at a 0 ms LLM), {@code llm-latency-ms}
 *     (0), {@code reply-timeout-seconds} (3 × latency + 30 s, at least 30 s);
 * <li>bursts ("N customers write at once, each waits for one answer"): {@code bursts} (none; e.g.
 *     {@code 100@3000,1000@10000}: customers, and optionally {@code @} that burst's LLM latency in ms),
 *     {@code burst-llm-latency-ms} (the closed loop's), {@code burst-wait-seconds} (2 × latency + 60 s),
 *     {@code burst-drain-seconds} (120: then the LLM answers at once and late answers are counted);
 * <li>{@code baseline-seconds} (10; 0 skips), {@code repetitions} of the flatness turn (11; 0 skips),
 *     {@code pool-size} (10, the app's default);
 * <li>seeded dataset: {@code dataset} (none; {@code 200x1000} = organizations × conversations each),
 *     {@code dataset-messages} (1000000), {@code dataset-llm-calls} (100000, over the AI-handled conversations),
 *     {@code dataset-long-conversation} (500 messages, each tenant's newest),
 *     {@code dataset-seed} (42), {@code dataset-requests} per query (200), {@code dataset-tenants} the requests
 *     rotate over (20), {@code dataset-budget-seconds} per query (60), {@code dataset-later-page} (5),
 *     {@code dataset-queue} the waiting queue's {@code queue=} value (waiting_whatsapp),
 *     {@code dataset-first} (false: seed before the load phases, so turns run on the big database);
 * <li>the app: {@code app-java} (JAVA_HOME's, else the PATH's java), {@code app-jvm-options} (e.g.
 *     {@code "-Xmx1g"}), {@code jar}, {@code keep-data} (false); {@code out} (bench/results/latest.md).
 * </ul>
 * Arguments after {@code --} go to the app unchanged (e.g. {@code --db-scheduler.polling-interval=100ms}).
 */
public final class Benchmark {

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        long runStarted = System.nanoTime();
        try (FakeProviders fakes = new FakeProviders(options.llmLatencyMillis)) {
            String token = "bench-" + UUID.randomUUID();
            progress("app JVM: %s %s", options.appJava, String.join(" ", options.appJvmOptions));
            AppProcess app = AppProcess.start(options.appJava, options.appJvmOptions, options.jar, token, fakes.baseUrl(),
                    options.poolSize, options.appArgs);
            ResourceSampler sampler = null;
            try {
                progress("app pid %d, log %s", app.pid(), app.log());
                long startupMillis = app.awaitHealthy(Duration.ofMinutes(3));
                progress("healthy after %d ms", startupMillis);
                sampler = new ResourceSampler(app.pid(), app.baseUrl());
                SwitchboardApi api = new SwitchboardApi(app.baseUrl(), token);
                SwitchboardApi.Setup setup = api.configure(fakes.baseUrl());
                AppDatabase database = new AppDatabase(app.postgresPort(), app.postgresPassword());
                SchedulerMetrics scheduler = new SchedulerMetrics(app.baseUrl());
                Results results = new Results(options, AppProcess.version(options.appJava), startupMillis);

                if (options.datasetOrganizations > 0 && options.datasetFirst) {
                    results.dataset = seed(options, app);
                }

                if (options.levels.length > 0 || options.bursts.length > 0) {
                    progress("warm-up: %d s at concurrency 4, LLM 0 ms", options.warmupSeconds);
                    fakes.llmLatencyMillis(0);
                    new ClosedLoopLoad(api, fakes, setup.accountId(), Duration.ofSeconds(30))
                            .run(4, Duration.ZERO, Duration.ofSeconds(options.warmupSeconds));
                }

                fakes.llmLatencyMillis(options.llmLatencyMillis);
                ClosedLoopLoad load = new ClosedLoopLoad(api, fakes, setup.accountId(), options.replyTimeout());
                for (int concurrency : options.levels) {
                    Delivered before = Delivered.of(fakes);
                    AppDatabase.Counters countersBefore = database.counters();
                    SchedulerMetrics.Executions turnsBefore = scheduler.executions(SchedulerMetrics.TURN);
                    SchedulerMetrics.Executions deliveriesBefore = scheduler.executions(SchedulerMetrics.DELIVERY);
                    sampler.peaksAndReset();
                    fakes.peakCompletionsInFlightAndReset();
                    ClosedLoopLoad.Level level = load.run(concurrency, Duration.ofSeconds(options.settleSeconds),
                            Duration.ofSeconds(options.seconds));
                    ResourceSampler.Peaks peaks = sampler.peaksAndReset();
                    int llmInFlight = fakes.peakCompletionsInFlightAndReset();
                    Thread.sleep(1500); // PostgreSQL publishes its counters about once a second
                    Delivered after = Delivered.of(fakes);
                    double answers = after.outbound() - before.outbound() - (after.duplicates() - before.duplicates());
                    AppDatabase.Counters countersAfter = database.counters();
                    LevelRow row = new LevelRow(level,
                            (countersAfter.commits() - countersBefore.commits()) / answers,
                            (countersAfter.walSyncs() - countersBefore.walSyncs()) / answers,
                            scheduler.executions(SchedulerMetrics.TURN).meanMillisSince(turnsBefore),
                            scheduler.executions(SchedulerMetrics.DELIVERY).meanMillisSince(deliveriesBefore),
                            after.duplicates() - before.duplicates(), peaks, llmInFlight);
                    results.levels.add(row);
                    progress("concurrency %d: %.1f turns/s, ack p50 %.1f ms, inbound→outbound p50 %.0f ms p99 %.0f ms, "
                                    + "turn job %.0f ms, delivery job %.0f ms, %.1f commits and %.1f WAL syncs per turn, "
                                    + "%d missing, %d fallbacks, %d duplicates, peak heap %.0f MB, RSS %.0f MB",
                            concurrency, level.turnsPerSecond(), level.ack().percentileMillis(50),
                            level.inboundToOutbound().percentileMillis(50), level.inboundToOutbound().percentileMillis(99),
                            row.turnJobMillis(), row.deliveryJobMillis(), row.commitsPerTurn(), row.walSyncsPerTurn(),
                            level.missingReplies(), level.fallbacks(), row.duplicates(), peaks.heapUsedBytes() / 1048576.0,
                            peaks.residentBytes() / 1048576.0);
                }

                if (options.baselineSeconds > 0) {
                    progress("raw PostgreSQL insert+commit, %d connections, %d s", options.poolSize, options.baselineSeconds);
                    results.rawInsertsPerSecond = database.insertCommitsPerSecond(options.poolSize, Duration.ofSeconds(options.baselineSeconds));
                    progress("raw: %.0f inserts/s", results.rawInsertsPerSecond);
                }

                if (options.repetitions > 0) {
                    progress("flatness: 10 vs 10,000 prior messages, %d repetitions", options.repetitions);
                    results.flatness = new HistoryFlatness(api, fakes, database, scheduler, setup).run(10, 10_000, options.repetitions);
                }

                BurstLoad burst = new BurstLoad(api, fakes, setup.accountId());
                for (int b = 0; b < options.bursts.length; b++) {
                    int customers = options.bursts[b];
                    long latency = options.burstLatency(b);
                    Duration wait = options.burstWait(latency);
                    fakes.llmLatencyMillis(latency);
                    progress("burst: %d customers at once, LLM %d ms, waiting up to %d s", customers, latency, wait.toSeconds());
                    Delivered before = Delivered.of(fakes);
                    AppDatabase.Counters countersBefore = database.counters();
                    sampler.peaksAndReset();
                    fakes.peakCompletionsInFlightAndReset();
                    fakes.llmOvershootAndReset();
                    BurstLoad.Result result = burst.run(customers, wait, Duration.ofSeconds(options.burstDrainSeconds));
                    ResourceSampler.Peaks peaks = sampler.peaksAndReset();
                    int llmInFlight = fakes.peakCompletionsInFlightAndReset();
                    Latencies overshoot = fakes.llmOvershootAndReset();
                    Thread.sleep(2000); // late duplicates, and PostgreSQL's counters
                    Delivered after = Delivered.of(fakes);
                    double replies = after.outbound() - before.outbound() - (after.duplicates() - before.duplicates());
                    AppDatabase.Counters countersAfter = database.counters();
                    BurstRow row = new BurstRow(result, after.duplicates() - before.duplicates(),
                            (countersAfter.commits() - countersBefore.commits()) / replies,
                            (countersAfter.walSyncs() - countersBefore.walSyncs()) / replies, peaks, llmInFlight, overshoot);
                    results.bursts.add(row);
                    progress("burst %d: answered %d, fallbacks %d, missing %d (late %d), duplicates %d, p50 %.0f ms, p99 %.0f ms, "
                                    + "%.1f turns/s, peak heap %.0f MB, RSS %.0f MB, LLM calls in flight at most %d, fake LLM overshoot p99 %.0f ms",
                            customers, result.answered(), result.fallbacks(), result.missing(), result.late(), row.duplicates(),
                            result.answer().percentileMillis(50, customers), result.answer().percentileMillis(99, customers),
                            result.turnsPerSecond(), peaks.heapUsedBytes() / 1048576.0, peaks.residentBytes() / 1048576.0, llmInFlight,
                            overshoot.percentileMillis(99));
                }
                fakes.llmLatencyMillis(options.llmLatencyMillis);

                if (options.datasetOrganizations > 0) {
                    if (results.dataset == null) {
                        results.dataset = seed(options, app);
                    }
                    sampler.peaksAndReset();
                    results.apiRows = new ApiTimings(app.baseUrl(), database, results.dataset.tenants(), options.datasetTenants,
                            options.datasetRequests, Duration.ofSeconds(options.datasetBudgetSeconds))
                            .run(options.datasetLaterPage, options.datasetQueue, "conceicao", "geladeira");
                    results.apiPeaks = sampler.peaksAndReset();
                }

                results.heapAfterGcBytes = app.heapUsedAfterGcBytes();
                results.residentAfterBytes = app.residentBytes();
                results.logProblems = app.logProblems();
                results.unknownOutbound = fakes.unknownOutbound();
                results.twilioLookups = fakes.lookups();
                results.runSeconds = (System.nanoTime() - runStarted) / 1_000_000_000L;
                String table = new ResultsTable(results).markdown();
                System.out.println();
                System.out.println(table);
                Files.createDirectories(options.out.toAbsolutePath().getParent());
                Files.writeString(options.out, table);
                progress("written to %s", options.out);
            } catch (Exception | Error e) {
                System.err.println("Benchmark failed: " + e + "\nLast lines of the app log:\n" + app.tail(40));
                throw e;
            } finally {
                if (sampler != null) {
                    sampler.close();
                }
                app.close(options.keepData);
            }
        }
        System.exit(0); // HttpClient and server threads are not daemons
    }

    private static Dataset.Summary seed(Options options, AppProcess app) throws Exception {
        progress("dataset: %d organizations × %d conversations, about %,d messages", options.datasetOrganizations,
                options.datasetConversations, options.datasetMessages);
        Dataset.Summary summary = new Dataset(new AppDatabase(app.postgresPort(), app.postgresPassword()), options.datasetSeed).generate(options.datasetOrganizations,
                options.datasetConversations, options.datasetMessages, options.datasetLongConversation, options.datasetLlmCalls);
        progress("dataset: %,d conversations, %,d messages in %.0f s, database %.0f MB", summary.conversations(),
                summary.messages(), summary.seconds(), summary.databaseBytes() / 1048576.0);
        return summary;
    }

    /** The fake Twilio's running totals, read before and after a phase. */
    record Delivered(long outbound, long duplicates) {
        static Delivered of(FakeProviders fakes) {
            return new Delivered(fakes.answersDelivered() + fakes.fallbacks() + fakes.duplicates(), fakes.duplicates());
        }
    }

    /** Everything a run measured, for {@link ResultsTable}. */
    static final class Results {
        final Options options;
        final String appJvm;
        final long startupMillis;
        final List<LevelRow> levels = new ArrayList<>();
        final List<BurstRow> bursts = new ArrayList<>();
        double rawInsertsPerSecond = Double.NaN;
        HistoryFlatness.Result flatness;
        Dataset.Summary dataset;
        List<ApiTimings.Row> apiRows = List.of();
        ResourceSampler.Peaks apiPeaks;
        long heapAfterGcBytes;
        long residentAfterBytes;
        long logProblems;
        long unknownOutbound;
        long twilioLookups;
        long runSeconds;

        Results(Options options, String appJvm, long startupMillis) {
            this.options = options;
            this.appJvm = appJvm;
            this.startupMillis = startupMillis;
        }
    }

    /**
     * A level's measurements; per turn over the whole level: database commits and WAL syncs, and the mean
     * execution time of the turn job and of the delivery job (no polling wait included).
     */
    record LevelRow(ClosedLoopLoad.Level level, double commitsPerTurn, double walSyncsPerTurn, double turnJobMillis,
                    double deliveryJobMillis, long duplicates, ResourceSampler.Peaks peaks, int llmCallsInFlight) {
    }

    /** A burst's measurements; commits and WAL syncs per reply over the burst and its drain. */
    record BurstRow(BurstLoad.Result result, long duplicates, double commitsPerTurn, double walSyncsPerTurn,
                    ResourceSampler.Peaks peaks, int llmCallsInFlight, Latencies llmOvershoot) {
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
        Integer replyTimeoutSeconds;
        int[] bursts = {};
        Long[] burstLatencies = {};
        Long burstLlmLatencyOption;
        long burstLlmLatencyMillis;
        Integer burstWaitSeconds;
        int burstDrainSeconds = 120;
        int poolSize = 10;
        int baselineSeconds = 10;
        int repetitions = 11;
        int datasetOrganizations;
        int datasetConversations;
        long datasetMessages = 1_000_000;
        long datasetLlmCalls = 100_000;
        int datasetLongConversation = 500;
        long datasetSeed = 42;
        int datasetRequests = 200;
        int datasetTenants = 20;
        int datasetBudgetSeconds = 60;
        int datasetLaterPage = 5;
        String datasetQueue = "waiting_whatsapp";
        boolean datasetFirst;
        String appJava = AppProcess.defaultJava();
        List<String> appJvmOptions = new ArrayList<>();
        Path out = Path.of("bench/results/latest.md");
        Path jar;
        boolean keepData;
        List<String> appArgs = new ArrayList<>();

        /** A customer in a closed-loop level gives up after this: generous against the LLM latency. */
        Duration replyTimeout() {
            return Duration.ofSeconds(replyTimeoutSeconds != null ? replyTimeoutSeconds
                    : Math.max(30, 3 * llmLatencyMillis / 1000 + 30));
        }

        /** The LLM latency of the {@code index}th burst: its own {@code @ms}, else {@code burst-llm-latency-ms}. */
        long burstLatency(int index) {
            return burstLatencies[index] != null ? burstLatencies[index] : burstLlmLatencyMillis;
        }

        /** A burst waits this long for its answers: two LLM rounds plus a minute, unless told. */
        Duration burstWait(long latencyMillis) {
            return Duration.ofSeconds(burstWaitSeconds != null ? burstWaitSeconds : 2 * latencyMillis / 1000 + 60);
        }

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
                    case "levels" -> o.levels = ints(value);
                    case "seconds" -> o.seconds = Integer.parseInt(value);
                    case "settle-seconds" -> o.settleSeconds = Integer.parseInt(value);
                    case "warmup-seconds" -> o.warmupSeconds = Integer.parseInt(value);
                    case "llm-latency-ms" -> o.llmLatencyMillis = Long.parseLong(value);
                    case "reply-timeout-seconds" -> o.replyTimeoutSeconds = Integer.parseInt(value);
                    case "bursts" -> {
                        // N or N@latencyMs per burst, e.g. 100@3000,1000@10000
                        String[] entries = value.isBlank() || value.equals("none") ? new String[0] : value.split(",");
                        o.bursts = new int[entries.length];
                        o.burstLatencies = new Long[entries.length];
                        for (int b = 0; b < entries.length; b++) {
                            String[] at = entries[b].split("@", 2);
                            o.bursts[b] = Integer.parseInt(at[0].trim());
                            o.burstLatencies[b] = at.length == 2 ? Long.parseLong(at[1].trim()) : null;
                        }
                    }
                    case "burst-llm-latency-ms" -> o.burstLlmLatencyOption = Long.parseLong(value);
                    case "burst-wait-seconds" -> o.burstWaitSeconds = Integer.parseInt(value);
                    case "burst-drain-seconds" -> o.burstDrainSeconds = Integer.parseInt(value);
                    case "pool-size" -> o.poolSize = Integer.parseInt(value);
                    case "baseline-seconds" -> o.baselineSeconds = Integer.parseInt(value);
                    case "repetitions" -> o.repetitions = Integer.parseInt(value);
                    case "dataset" -> {
                        String[] dims = value.toLowerCase().split("x");
                        o.datasetOrganizations = Integer.parseInt(dims[0]);
                        o.datasetConversations = dims.length > 1 ? Integer.parseInt(dims[1]) : 1000;
                    }
                    case "dataset-messages" -> o.datasetMessages = Long.parseLong(value.replace("_", ""));
                    case "dataset-llm-calls" -> o.datasetLlmCalls = Long.parseLong(value.replace("_", ""));
                    case "dataset-long-conversation" -> o.datasetLongConversation = Integer.parseInt(value);
                    case "dataset-seed" -> o.datasetSeed = Long.parseLong(value);
                    case "dataset-requests" -> o.datasetRequests = Integer.parseInt(value);
                    case "dataset-tenants" -> o.datasetTenants = Integer.parseInt(value);
                    case "dataset-budget-seconds" -> o.datasetBudgetSeconds = Integer.parseInt(value);
                    case "dataset-later-page" -> o.datasetLaterPage = Integer.parseInt(value);
                    case "dataset-queue" -> o.datasetQueue = value;
                    case "dataset-first" -> o.datasetFirst = Boolean.parseBoolean(value);
                    case "app-java" -> o.appJava = value;
                    case "app-jvm-options" -> o.appJvmOptions = value.isBlank() ? new ArrayList<>() : Arrays.asList(value.trim().split("\\s+"));
                    case "out" -> o.out = Path.of(value);
                    case "jar" -> o.jar = Path.of(value);
                    case "keep-data" -> o.keepData = Boolean.parseBoolean(value);
                    default -> throw new IllegalArgumentException("unknown option " + arg + " (see Benchmark's Javadoc)");
                }
            }
            o.burstLlmLatencyMillis = o.burstLlmLatencyOption != null ? o.burstLlmLatencyOption : o.llmLatencyMillis;
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

        private static int[] ints(String value) {
            if (value.isBlank() || value.equals("none")) {
                return new int[0];
            }
            return Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
        }

        String today() {
            return LocalDate.now().toString();
        }
    }
}
