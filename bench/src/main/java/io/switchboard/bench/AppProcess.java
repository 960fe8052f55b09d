package io.switchboard.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Switchboard as an operator runs it: {@code java -jar} in its own JVM, embedded PostgreSQL with fsync on
 * (the default), in a fresh data directory. Only the bench's own needs are set: the port, the bootstrap
 * token, the Twilio API base pointing at the fake, and no demo workspace.
 */
final class AppProcess implements AutoCloseable {

    private static final Pattern POSTGRES_PORT = Pattern.compile("Embedded PostgreSQL ready on port (\\d+)");
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
    private static final Pattern GENERATION_USED = Pattern.compile("(?:generation|DefNew|Tenured|PSYoungGen|ParOldGen)\\s+total \\d+K, used (\\d+)K");
    private static final Pattern ZGC_USED = Pattern.compile("ZHeap\\s+used (\\d+)M");

    private final Process process;
    private final Path dataDir;
    private final Path log;
    private final int port;
    private final String javaExecutable;

    private AppProcess(Process process, Path dataDir, Path log, int port, String java) {
        this.process = process;
        this.dataDir = dataDir;
        this.log = log;
        this.port = port;
        this.javaExecutable = java;
    }

    /** The JVM the app runs on: {@code java -version}'s first line, e.g. {@code openjdk version "17.0.15"}. */
    static String version(String java) {
        try {
            Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            String[] lines = out.split("\\R");
            return lines.length > 1 ? lines[0].trim() + " (" + lines[lines.length - 1].trim() + ")" : out.trim();
        } catch (IOException | InterruptedException e) {
            return java;
        }
    }

    static AppProcess start(String java, List<String> jvmOptions, Path jar, String bootstrapToken, String twilioBaseUrl,
                            int poolSize, List<String> extraArgs) throws IOException {
        Path dataDir = Files.createTempDirectory("switchboard-bench-");
        Path log = dataDir.resolve("app.log");
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--switchboard.db.pool-size=" + poolSize));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("SWITCHBOARD_DATA_DIR", dataDir.toString());
        builder.environment().put("SWITCHBOARD_BOOTSTRAP_TOKEN", bootstrapToken);
        builder.environment().put("SWITCHBOARD_TWILIO_API_BASE_URL", twilioBaseUrl);
        builder.environment().put("SWITCHBOARD_DEMO_ENABLED", "false");
        // the fake LLM and Twilio listen on loopback, which tenant-set URLs may not reach by default
        builder.environment().put("SWITCHBOARD_OUTBOUND_ALLOW_PRIVATE_ADDRESSES", "true");
        // the sampler reads /actuator/prometheus every few seconds, as a management network would
        builder.environment().put("SWITCHBOARD_METRICS_PUBLIC", "true");
        Process process = builder.start();
        AppProcess app = new AppProcess(process, dataDir, log, port, java);
        // a bench killed with Ctrl-C must not leave a Switchboard and its PostgreSQL running
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop));
        return app;
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Waits for {@code /actuator/health} to answer UP; returns the start-up time in milliseconds. */
    long awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Switchboard exited with " + process.exitValue() + " during start-up; log:\n" + tail(60));
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Switchboard was not healthy within " + timeout + "; log:\n" + tail(60));
    }

    /** The embedded PostgreSQL's password, which the app generates in its data directory on the first start. */
    String postgresPassword() throws IOException {
        return Files.readString(dataDir.resolve("postgres-password")).trim();
    }

    /** The embedded PostgreSQL's port, as the app logs it. */
    int postgresPort() throws IOException {
        Matcher m = POSTGRES_PORT.matcher(Files.readString(log));
        if (!m.find()) {
            throw new IllegalStateException("the app log has no 'Embedded PostgreSQL ready on port' line");
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * Heap in use right after a full GC, read through jcmd from outside the app; -1 when the collector's
     * report is not understood (G1's "heap total …, used …K", Serial's and Parallel's generations, ZGC's "used …M").
     */
    long heapUsedAfterGcBytes() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher g1 = HEAP_USED.matcher(info);
        if (g1.find()) {
            return Long.parseLong(g1.group(1)) * 1024;
        }
        Matcher generations = GENERATION_USED.matcher(info);
        long used = 0;
        boolean found = false;
        while (generations.find()) {
            used += Long.parseLong(generations.group(1)) * 1024;
            found = true;
        }
        if (found) {
            return used;
        }
        Matcher z = ZGC_USED.matcher(info);
        return z.find() ? Long.parseLong(z.group(1)) * 1048576 : -1;
    }

    /** Resident set size of the app's JVM (heap, metaspace, code cache, threads, direct buffers). */
    long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        // the jcmd of the JDK the app runs on, else the harness's, else the PATH's
        Path jcmd = Path.of(javaExecutable).resolveSibling("jcmd");
        if (!Files.exists(jcmd)) {
            jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        }
        Process p = new ProcessBuilder(Files.exists(jcmd) ? jcmd.toString() : "jcmd", Long.toString(process.pid()), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    /** WARN and ERROR lines the app logged so far: a clean run has none beyond start-up notices. */
    long logProblems() throws IOException {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                    .filter(l -> !l.contains("SpringDocAppInitializer")) // springdoc's "enabled by default" notice
                    .count();
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: Spring closes, zonky stops PostgreSQL cleanly
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the app and removes its data directory unless asked to keep it. */
    void close(boolean keepData) throws IOException {
        stop();
        if (!keepData) {
            try (var paths = Files.walk(dataDir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        close(false);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * The app's default JVM: {@code $JAVA_HOME/bin/java}, else {@code java} on the PATH (the JDK the project
     * builds with), not the harness's JVM, which may be a newer one for its virtual threads.
     */
    static String defaultJava() {
        String home = System.getenv("JAVA_HOME");
        if (home != null && !home.isBlank() && Files.isExecutable(Path.of(home, "bin", "java"))) {
            return Path.of(home, "bin", "java").toString();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "java");
            if (Files.isExecutable(candidate)) {
                try {
                    return candidate.toRealPath().toString();
                } catch (IOException e) {
                    return candidate.toString();
                }
            }
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
