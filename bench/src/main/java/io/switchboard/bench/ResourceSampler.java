package io.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app's memory while it works, not only after: every 500 ms the JVM's resident set and thread count
 * (from /proc) and its heap in use and committed (Micrometer's {@code jvm_memory_*_bytes{area="heap"}} at
 * /actuator/prometheus, which costs the app far less than a jcmd attach would). A phase reads the peaks
 * since it began; heap in use is sampled between collections, so its peak is an upper bound of the live data.
 */
final class ResourceSampler implements AutoCloseable {

    private static final Pattern HEAP = Pattern.compile("^jvm_memory_(used|committed)_bytes\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);

    private final long pid;
    private final URI prometheus;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread thread;
    private volatile boolean running = true;
    private Peaks peaks = Peaks.NONE;

    /** The largest values seen in a window; -1 where nothing could be read. */
    record Peaks(long heapUsedBytes, long heapCommittedBytes, long residentBytes, long threads) {
        static final Peaks NONE = new Peaks(-1, -1, -1, -1);

        Peaks max(Peaks o) {
            return new Peaks(Math.max(heapUsedBytes, o.heapUsedBytes), Math.max(heapCommittedBytes, o.heapCommittedBytes),
                    Math.max(residentBytes, o.residentBytes), Math.max(threads, o.threads));
        }
    }

    ResourceSampler(long pid, String baseUrl) {
        this.pid = pid;
        // only the heap gauges: a whole scrape every half second (every meter, 1,000+ threads' states) is app CPU
        // the load would otherwise not have
        this.prometheus = URI.create(baseUrl + "/actuator/prometheus?includedNames=jvm_memory_used_bytes,jvm_memory_committed_bytes");
        this.thread = Thread.ofPlatform().daemon().name("resource-sampler").start(this::loop);
    }

    /** Peaks since the last call, and a new window from now. */
    synchronized Peaks peaksAndReset() {
        Peaks result = peaks;
        peaks = Peaks.NONE;
        return result;
    }

    private void loop() {
        while (running) {
            long started = System.nanoTime();
            Peaks sample = sample();
            synchronized (this) {
                peaks = peaks.max(sample);
            }
            long sleep = 500 - (System.nanoTime() - started) / 1_000_000;
            try {
                Thread.sleep(Math.max(50, sleep));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Peaks sample() {
        long rss = -1;
        long threads = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                } else if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the app has exited
        }
        long used = -1;
        long committed = -1;
        try {
            String text = http.send(HttpRequest.newBuilder(prometheus).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = HEAP.matcher(text);
            long u = 0;
            long c = 0;
            boolean found = false;
            while (m.find()) {
                if (m.group(2).contains("area=\"heap\"")) {
                    found = true;
                    long bytes = (long) Double.parseDouble(m.group(3));
                    if (m.group(1).equals("used")) {
                        u += bytes;
                    } else {
                        c += bytes;
                    }
                }
            }
            if (found) {
                used = u;
                committed = c;
            }
        } catch (IOException | RuntimeException notNow) {
            // busy or stopping: the next sample counts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Peaks(used, committed, rss, threads);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
