package io.switchboard.rehearsal;

import io.switchboard.refusal.InvalidInput;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code java -jar switchboard.jar test-agents <folder> --base-url … --token …}: runs a folder of scenario files
 * (YAML or JSON, as exported) against a running Switchboard through its API, without starting a server, and
 * writes a JUnit XML report so a company's CI can gate prompt changes. Each scenario names its agent
 * ({@code agent:} name or id) or {@code --agent} gives it. Exit code 0 when everything passed, 1 when a scenario
 * failed, 2 when the run could not happen (usage, connection, refusal).
 */
public final class AgentTestsCommand {

    static final String USAGE = """
            usage: java -jar switchboard.jar test-agents <folder> --base-url <url> --token <admin API token>
                   [--agent <name or id>] [--draft-prompt-file <file>] [--repeat <k>] [--report <junit.xml>]
                   [--timeout-seconds <n>]""";

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final PrintStream out;
    private String baseUrl;
    private String token;

    private AgentTestsCommand(PrintStream out) {
        this.out = out;
    }

    /** Runs the command; returns the process's exit code. */
    public static int run(String[] args, PrintStream out) {
        return new AgentTestsCommand(out).execute(args);
    }

    private int execute(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        String folder = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else if (folder == null && !args[i].startsWith("--")) {
                folder = args[i];
            } else {
                out.println(USAGE);
                return 2;
            }
        }
        baseUrl = options.get("base-url");
        token = options.get("token");
        if (folder == null || baseUrl == null || token == null) {
            out.println(USAGE);
            return 2;
        }
        baseUrl = baseUrl.replaceAll("/+$", "");
        Path report = Path.of(options.getOrDefault("report", "agent-tests.xml"));
        try {
            Map<String, String> agentIds = agents();
            Map<String, List<JsonNode>> byAgent = new LinkedHashMap<>();
            for (Path file : files(Path.of(folder))) {
                for (JsonNode scenario : ScenarioFiles.read(Files.readString(file), json)) {
                    String agent = options.containsKey("agent") ? options.get("agent") : scenario.path("agent").asString(null);
                    if (agent == null || agent.isBlank()) {
                        throw new InvalidInput(file + ": scenario '" + scenario.path("name").asString("?")
                                + "' names no agent (add agent: <name> or pass --agent)");
                    }
                    String id = agentIds.get(agent.strip().toLowerCase(Locale.ROOT));
                    if (id == null) {
                        throw new InvalidInput(file + ": no AI agent named '" + agent + "'; known: " + String.join(", ", agentIds.keySet()));
                    }
                    byAgent.computeIfAbsent(id, k -> new ArrayList<>()).add(scenario);
                }
            }
            if (byAgent.isEmpty()) {
                throw new InvalidInput("no scenario files (.yaml, .yml, .json) in " + folder);
            }
            String draftPrompt = options.containsKey("draft-prompt-file") ? Files.readString(Path.of(options.get("draft-prompt-file"))) : null;
            int repeat = Integer.parseInt(options.getOrDefault("repeat", "1"));
            Duration timeout = Duration.ofSeconds(Long.parseLong(options.getOrDefault("timeout-seconds", "900")));
            List<Suite> suites = new ArrayList<>();
            boolean allPassed = true;
            for (var entry : byAgent.entrySet()) {
                Suite suite = runSuite(entry.getKey(), entry.getValue(), draftPrompt, repeat, timeout);
                suites.add(suite);
                allPassed &= "passed".equals(suite.run().path("status").asString());
            }
            Files.writeString(report, JunitReport.xml(suites));
            out.println((allPassed ? "PASSED" : "FAILED") + " — JUnit report written to " + report.toAbsolutePath());
            return allPassed ? 0 : 1;
        } catch (java.net.ConnectException e) {
            out.println("test-agents: could not reach " + baseUrl + " (is Switchboard running there?)");
            return 2;
        } catch (InvalidInput | IOException | IllegalStateException | NumberFormatException e) {
            out.println("test-agents: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
    }

    /** A finished run of one agent's scenarios, with its results. */
    record Suite(String agentName, JsonNode run, List<JsonNode> results) {
    }

    private Suite runSuite(String agentId, List<JsonNode> scenarios, String draftPrompt, int repeat, Duration timeout)
            throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.put("ai_agent_id", agentId);
        body.putArray("scenarios").addAll(scenarios);
        body.put("repeat", repeat);
        if (draftPrompt != null) {
            body.putObject("draft").put("prompt", draftPrompt);
        }
        JsonNode run = send("POST", "/api/v1/test_runs", body);
        String id = run.get("id").asString();
        String agentName = scenarios.get(0).path("agent").asString(agentId);
        out.println("Running " + scenarios.size() + " scenario(s) of " + agentName + " (run " + id + ")");
        Instant deadline = Instant.now().plus(timeout);
        int shown = -1;
        while (!List.of("passed", "failed", "error").contains(run.path("status").asString())) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("run " + id + " did not finish within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(500);
            run = send("GET", "/api/v1/test_runs/" + id, null);
            if (run.path("done").asInt() != shown) {
                shown = run.path("done").asInt();
                out.println("  " + shown + "/" + run.path("total").asInt());
            }
        }
        List<JsonNode> results = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = send("GET", "/api/v1/test_runs/" + id + "/results?limit=500"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), null);
            page.path("items").forEach(results::add);
            cursor = page.path("next_cursor").asString(null);
        } while (cursor != null);
        out.println("  " + run.path("status").asString() + ": " + run.path("scenarios_passed").asInt() + " of "
                + run.path("scenarios").asInt() + " scenario(s) passed");
        return new Suite(agentName, run, results);
    }

    /** The organization's agents by lower-case name and by id. */
    private Map<String, String> agents() throws IOException, InterruptedException {
        Map<String, String> ids = new LinkedHashMap<>();
        for (JsonNode agent : send("GET", "/api/v1/ai_agents", null)) {
            ids.put(agent.path("name").asString().toLowerCase(Locale.ROOT), agent.path("id").asString());
            ids.put(agent.path("id").asString(), agent.path("id").asString());
        }
        return ids;
    }

    private static List<Path> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new InvalidInput(folder + " is not a folder");
        }
        try (Stream<Path> listed = Files.list(folder)) {
            return listed.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
        }
    }

    private JsonNode send(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            String detail = response.body();
            try {
                detail = json.readTree(response.body()).path("detail").asString(detail);
            } catch (RuntimeException notJson) {
                // keep the raw body
            }
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + detail);
        }
        return json.readTree(response.body());
    }
}
