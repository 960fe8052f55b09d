package io.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long db-scheduler's executions of a task took, read from the app's public Prometheus endpoint. The
 * difference of two readings is the execution time of the jobs in between, without the polling wait before
 * them: the measure of the turn itself.
 */
final class SchedulerMetrics {

    static final String TURN = "conversation-turn";
    static final String DELIVERY = "deliver-message";

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI prometheus;

    SchedulerMetrics(String baseUrl) {
        this.prometheus = URI.create(baseUrl + "/actuator/prometheus");
    }

    /** Executions of a task so far and their summed duration. */
    record Executions(long count, double seconds) {

        /** Mean milliseconds per execution between {@code before} and this reading. */
        double meanMillisSince(Executions before) {
            long n = count - before.count;
            return n == 0 ? Double.NaN : (seconds - before.seconds) * 1000 / n;
        }
    }

    Executions executions(String task) throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(prometheus).build(), HttpResponse.BodyHandlers.ofString()).body();
        return new Executions((long) value(text, "dbscheduler_task_duration_seconds_count", task),
                value(text, "dbscheduler_task_duration_seconds_sum", task));
    }

    private static double value(String text, String metric, String task) {
        Matcher m = Pattern.compile("^" + metric + "\\{task=\"" + Pattern.quote(task) + "\"} (\\S+)$", Pattern.MULTILINE).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + metric + " for task " + task + " at /actuator/prometheus");
        }
        return Double.parseDouble(m.group(1));
    }
}
