package io.switchboard.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inbox's reads timed through the API on the seeded dataset, as a person or integration of each tenant
 * would make them: one request at a time (latency, not throughput), rotating over several tenants with their
 * own bearer tokens, after a few warm-up requests. A query the app does not serve (404, 400…) is reported
 * with its status instead of a time, so the same harness runs against code before and after the API grew.
 *
 * <p>Requests carry both the contract's parameters ({@code limit}, {@code cursor}, {@code queue}) and
 * today's ({@code size}, {@code page}, {@code queue_tab}); each version ignores the other's. The later page
 * follows {@code next_cursor} when the app gives one, else asks for the same page by number (OFFSET).
 */
final class ApiTimings {

    private static final Pattern NEXT_CURSOR = Pattern.compile("\"next_cursor\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern LEGACY_PAGE = Pattern.compile("\"page\"\\s*:\\s*\\d+");

    private final String baseUrl;
    private final List<Dataset.Tenant> tenants;
    private final List<Dataset.Tenant> allTenants;
    private final int requests;
    private final Duration budget;
    private final AppDatabase database;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * One query's timings; {@code failure} names the status when the app did not serve it.
     *
     * @param warming the same number of requests made just before the timed ones, on an app that had not served
     *                this query yet: what the first users of a freshly started node see while its JIT compiles
     */
    record Row(String query, String path, Latencies latencies, Latencies warming, int items, String failure, String note) {
    }

    ApiTimings(String baseUrl, AppDatabase database, List<Dataset.Tenant> tenants, int tenantsUsed, int requests, Duration budget) {
        this.database = database;
        this.baseUrl = baseUrl;
        this.allTenants = tenants;
        List<Dataset.Tenant> spread = new ArrayList<>();
        int step = Math.max(1, tenants.size() / Math.max(1, tenantsUsed));
        for (int i = 0; i < tenants.size() && spread.size() < tenantsUsed; i += step) {
            spread.add(tenants.get(i));
        }
        this.tenants = spread;
        this.requests = requests;
        this.budget = budget;
    }

    List<Row> run(int laterPage, String queue, String accentless, String word) throws Exception {
        List<Row> rows = new ArrayList<>();
        // first: until a tenant's reports are built once, the app's minute job rebuilds them from its whole history,
        // 200 tenants' worth (~50 s of database work) landing in the middle of whichever query is being timed
        Row rebuild = rebuildReports();
        // which wrote ~200,000 fact rows: out to disk before timing reads, as the seeded rows were
        database.checkpoint();
        String list = "/api/v1/conversations?status=open&limit=25&size=25";
        // the app's first requests warm its JIT, security chain and pool: not the first query's fault
        for (int i = 0; i < 3 * tenants.size(); i++) {
            get(tenants.get(i % tenants.size()), list);
        }
        rows.add(time("inbox list, first page (open, 25)", t -> list));
        rows.add(laterPage(laterPage));
        rows.add(time("waiting queue " + queue + ", first page (25)",
                t -> "/api/v1/conversations?queue=" + encode(queue) + "&limit=25"));
        rows.add(time("queue counts", t -> "/api/v1/conversations/counts"));
        rows.add(time("search contact name \"" + accentless + "\"", t -> "/api/v1/conversations?q=" + encode(accentless) + "&limit=25&size=25"));
        rows.add(time("search message word \"" + word + "\"", t -> "/api/v1/conversations?q=" + encode(word) + "&limit=25&size=25"));
        rows.add(time("conversation page: latest 50 messages of a long conversation",
                t -> "/api/v1/conversations/" + t.longConversationId() + "/messages?limit=50"));
        rows.add(time("conversation page: latest 50 messages of a typical conversation",
                t -> "/api/v1/conversations/" + t.typicalConversationId() + "/messages?limit=50"));
        rows.add(rebuild);
        rows.add(time("reports: every report, last 30 days", t -> "/api/v1/reports"));
        java.time.LocalDate today = java.time.LocalDate.now();
        rows.add(time("reports: every report, a whole year",
                t -> "/api/v1/reports?from=" + today.minusDays(364) + "&to=" + today));
        return rows;
    }

    /**
     * Builds every tenant's report read models from the seeded history once, timed per tenant: the seeded rows
     * bypassed the app, so nothing was rolled up yet (the app's job would do the same on its next run).
     */
    private Row rebuildReports() throws Exception {
        Latencies latencies = new Latencies();
        String path = "/api/v1/reports/refresh?rebuild=true";
        for (Dataset.Tenant tenant : allTenants) {
            long started = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Authorization", "Bearer " + tenant.token()).timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return new Row("reports: full rebuild of a tenant's read models", path, latencies, new Latencies(), -1,
                        "n/a (status " + r.statusCode() + ")", null);
            }
            latencies.add(System.nanoTime() - started);
        }
        Benchmark.progress("api: reports rebuilt for %d tenants, p50 %.0f ms", latencies.count(), latencies.percentileMillis(50));
        return new Row("reports: full rebuild of a tenant's read models (once per tenant, not a read)", path, latencies, new Latencies(), -1,
                null, "POST; every tenant once");
    }

    /** Page {@code n} of the open list: by cursor if the app pages by cursor, else by page number. */
    private Row laterPage(int n) throws Exception {
        List<String> paths = new ArrayList<>();
        String note = null;
        for (Dataset.Tenant tenant : tenants) {
            String path = "/api/v1/conversations?status=open&limit=25&size=25";
            for (int page = 1; page < n; page++) {
                HttpResponse<String> r = get(tenant, path);
                Matcher cursor = NEXT_CURSOR.matcher(r.body());
                if (r.statusCode() == 200 && cursor.find()) {
                    path = "/api/v1/conversations?status=open&limit=25&size=25&cursor=" + encode(cursor.group(1));
                    note = "by next_cursor";
                } else if (r.statusCode() == 200 && LEGACY_PAGE.matcher(r.body()).find()) {
                    path = "/api/v1/conversations?status=open&size=25&page=" + (n - 1);
                    note = "by page number (OFFSET): no next_cursor";
                    break;
                } else {
                    break;
                }
            }
            paths.add(path);
        }
        Row row = time("inbox list, page " + n + " (open, 25)", t -> paths.get(tenants.indexOf(t)));
        return new Row(row.query(), row.path(), row.latencies(), row.warming(), row.items(), row.failure(), note);
    }

    private interface PathOf {
        String path(Dataset.Tenant tenant);
    }

    private Row time(String query, PathOf pathOf) throws Exception {
        Latencies latencies = new Latencies();
        Latencies warming = new Latencies();
        int items = -1;
        String answer = null;
        // warm-up: a request per tenant, which also tells whether the app serves this query at all
        for (Dataset.Tenant tenant : tenants) {
            HttpResponse<String> r = get(tenant, pathOf.path(tenant));
            if (r.statusCode() != 200) {
                String body = r.body().length() > 160 ? r.body().substring(0, 160) + "…" : r.body();
                Benchmark.progress("api: %s → %d %s", query, r.statusCode(), body.replace('\n', ' '));
                return new Row(query, pathOf.path(tenant), latencies, warming, -1, "n/a (status " + r.statusCode() + ")", null);
            }
            if (answer == null) {
                answer = r.body();
                items = items(answer);
            }
        }
        // as many requests again before timing: a node serves a query thousands of times a day, and its first
        // couple of hundred run while the JIT is still compiling that path (kept as the warming figures)
        String failure = timeRequests(pathOf, warming);
        if (failure == null) {
            failure = timeRequests(pathOf, latencies);
        }
        if (failure != null) {
            return new Row(query, pathOf.path(tenants.get(0)), latencies, warming, items, failure, null);
        }
        Benchmark.progress("api: %s: p50 %.1f ms, p99 %.1f ms over %d requests (while warming: p99 %.1f ms)", query,
                latencies.percentileMillis(50), latencies.percentileMillis(99), latencies.count(), warming.percentileMillis(99));
        // an answer that is not a list (the counts) is shown, so a reader can tell real counts from zeros
        String note = items >= 0 || answer == null ? null
                : "`" + (answer.length() > 140 ? answer.substring(0, 140) + "…" : answer).replace("|", "\\|") + "`";
        return new Row(query, pathOf.path(tenants.get(0)), latencies, warming, items, null, note);
    }

    /** Up to {@code requests} requests (or the time budget), rotating over the tenants; a failure's description, or null. */
    private String timeRequests(PathOf pathOf, Latencies into) throws Exception {
        long deadline = System.nanoTime() + budget.toNanos();
        for (int i = 0; i < requests && System.nanoTime() < deadline; i++) {
            Dataset.Tenant tenant = tenants.get(i % tenants.size());
            long started = System.nanoTime();
            HttpResponse<String> r = get(tenant, pathOf.path(tenant));
            long took = System.nanoTime() - started;
            if (r.statusCode() != 200) {
                return "n/a (status " + r.statusCode() + " on request " + (i + 1) + ")";
            }
            into.add(took);
        }
        return null;
    }

    private HttpResponse<String> get(Dataset.Tenant tenant, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + tenant.token())
                .header("Accept", "application/json").timeout(Duration.ofSeconds(120)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Elements of the answer's list: the {@code items} array of an object, or the top-level array (today's
     * messages endpoint). Counted by bracket depth outside strings, without a JSON library on the classpath.
     */
    static int items(String body) {
        int from = body.indexOf("\"items\"");
        int open = from >= 0 ? body.indexOf('[', from) : body.indexOf('[');
        if (open < 0) {
            return -1;
        }
        int depth = 0;
        int elements = 0;
        boolean inString = false;
        boolean empty = true;
        for (int i = open; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (inString) {
                if (ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    inString = false;
                }
                continue;
            }
            switch (ch) {
                case '"' -> {
                    inString = true;
                    if (depth == 1) {
                        empty = false;
                    }
                }
                case '[', '{' -> {
                    if (depth == 1) {
                        empty = false;
                    }
                    depth++;
                }
                case ']', '}' -> {
                    depth--;
                    if (depth == 0) {
                        return empty ? 0 : elements + 1;
                    }
                }
                case ',' -> {
                    if (depth == 1) {
                        elements++;
                    }
                }
                default -> {
                    if (depth == 1 && !Character.isWhitespace(ch)) {
                        empty = false;
                    }
                }
            }
        }
        return -1;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
