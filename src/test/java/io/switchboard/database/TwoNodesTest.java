package io.switchboard.database;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.switchboard.channel.provider.TwilioSignature;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Switchboard nodes, each in a JVM of its own as an operator runs them, on one PostgreSQL; one fake
 * (WireMock) plays Twilio and the OpenAI-compatible LLM. Both nodes start at the same moment on the empty
 * database with the demo on. Every customer's signed webhook goes to both nodes; the LLM holds its answers,
 * and node B is killed with SIGKILL while it holds claimed turns. Node A must answer every customer exactly
 * once, B's customers after the scheduler finds B's claims dead.
 *
 * <p>Part of {@code ./mvnw verify} (about 30 s on an idle 2-core machine, most of it starting the two JVMs);
 * {@code -Dswitchboard.cluster-tests=false} skips it.
 */
@DisabledIfSystemProperty(named = "switchboard.cluster-tests", matches = "false")
class TwoNodesTest {

    private static final String BOOTSTRAP_TOKEN = "sb_two_nodes_bootstrap_token";
    private static final String SECRET_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    private static final String ACCOUNT_SID = "ACtwonodes0000000000000000000000000";
    private static final String AUTH_TOKEN = "two-nodes-twilio-auth-token";
    private static final String BUSINESS_NUMBER = "whatsapp:+14155238886";
    private static final String MESSAGES = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";
    private static final String ANSWER = "Entregamos em 3 a 7 dias úteis.";
    private static final int CUSTOMERS = 8;
    /** How long the fake LLM holds each answer: the window in which node B is killed mid-turn. */
    private static final Duration LLM_HOLD = Duration.ofSeconds(4);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> nodes = new ArrayList<>();
    private WireMockServer fake;
    private EmbeddedPostgresServer database;

    @AfterEach
    void stopEverything() {
        nodes.forEach(Process::destroyForcibly);
        if (fake != null) {
            fake.stop();
        }
        if (database != null) {
            database.close();
        }
    }

    /** Two nodes started together, every customer's webhook sent to both, half reaching B first. */
    private record Cluster(Node a, Node b, Map<String, String> phoneBySid) {
    }

    private Cluster twoNodesWithCustomersWaitingOnTheLlm(Path dir) throws Exception {
        database = EmbeddedPostgresServer.acquire(dir.resolve("db"), false, true);
        fake = new WireMockServer(options().dynamicPort().asynchronousResponseEnabled(true).containerThreads(40));
        fake.start();
        fake.stubFor(post(urlEqualTo(MESSAGES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"sid\":\"SM{{randomValue length=32 type='ALPHANUMERIC'}}\",\"status\":\"queued\"}")
                .withTransformers("response-template")));
        fake.stubFor(get(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"messages\":[],\"next_page_uri\":null}")));
        fake.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(completion(ANSWER)
                .withFixedDelay((int) LLM_HOLD.toMillis())));

        // both nodes start at the same moment on the empty database, demo asked for
        Node a = startNode("node-a", dir);
        Node b = startNode("node-b", dir);
        CompletableFuture.allOf(CompletableFuture.runAsync(() -> a.awaitHealthy(Duration.ofMinutes(4))),
                CompletableFuture.runAsync(() -> b.awaitHealthy(Duration.ofMinutes(4)))).join();
        assertThat(query("select count(*) from organizations where slug = 'demo'")).containsExactly("1");

        String accountId = configure(a);

        // every customer's webhook goes to both nodes; half reach B first, so B stores and claims their turns. Those
        // go first and alone: a scheduler claims every due turn it finds, so A, woken by its own customers' turns in
        // the same instant, could take B's too and leave B nothing to hold when it is stopped
        Map<String, String> phoneBySid = new LinkedHashMap<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            phoneBySid.put("SM%032d".formatted(i), "+55119%08d".formatted(i));
        }
        List<String> sids = List.copyOf(phoneBySid.keySet());
        sendToBoth(b, a, accountId, sids.subList(0, CUSTOMERS / 2), phoneBySid);
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !claimedBy("node-b").isEmpty());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("node B claimed none of its customers' turns; turn jobs: "
                    + query("select task_instance || ' picked=' || picked || ' by ' || coalesce(picked_by, '-') from scheduled_tasks")
                    + "\n--- node B ---\n" + tail(b.log()) + "\n--- node A ---\n" + tail(a.log()), e);
        }
        sendToBoth(a, b, accountId, sids.subList(CUSTOMERS / 2, CUSTOMERS), phoneBySid);
        return new Cluster(a, b, phoneBySid);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** Each customer's message to {@code first}, and once it answered, the same message to {@code second}; customers at once. */
    private void sendToBoth(Node first, Node second, String accountId, List<String> sids, Map<String, String> phoneBySid) {
        CompletableFuture.allOf(sids.stream().map(sid -> CompletableFuture.runAsync(() -> {
            assertThat(customerMessage(first, accountId, sid, phoneBySid.get(sid))).isEqualTo(200);
            assertThat(customerMessage(second, accountId, sid, phoneBySid.get(sid))).isEqualTo(200);
        })).toArray(CompletableFuture[]::new)).join();
    }

    /** Every customer answered exactly once with the answer, and no turn or delivery left to run. */
    private Map<String, List<LoggedRequest>> everyCustomerAnsweredOnce(Map<String, String> phoneBySid) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                answersByCustomer().keySet().containsAll(phoneBySid.values())
                        && query("select count(*) from scheduled_tasks where task_name in ('conversation-turn', 'deliver-message')")
                        .equals(List.of("0")));
        Map<String, List<LoggedRequest>> answers = answersByCustomer();
        for (String phone : phoneBySid.values()) {
            assertThat(answers.get(phone)).as("answers to %s", phone).hasSize(1);
            assertThat(body(answers.get(phone).get(0))).as("answer to %s", phone).isEqualTo(ANSWER);
        }
        return answers;
    }

    @Test
    void aNodeKilledMidTurnLeavesNoCustomerUnansweredAndNoneAnsweredTwice(@TempDir Path dir) throws Exception {
        Cluster cluster = twoNodesWithCustomersWaitingOnTheLlm(dir);
        Map<String, String> phoneBySid = cluster.phoneBySid();

        // B is killed while it holds claimed turns waiting for the LLM
        Set<String> heldByB = claimedBy("node-b");
        cluster.b().process.destroyForcibly();
        Instant killed = Instant.now();
        cluster.b().process.waitFor(30, TimeUnit.SECONDS);
        Set<String> bCustomers = customersOf(heldByB, phoneBySid);

        Map<String, List<LoggedRequest>> answers = everyCustomerAnsweredOnce(phoneBySid);
        long recoveryMs = bCustomers.stream().mapToLong(phone ->
                answers.get(phone).get(0).getLoggedDate().toInstant().toEpochMilli() - killed.toEpochMilli()).max().orElseThrow();
        System.out.printf("[two nodes] node B killed holding %d turn(s) (customers %s); their answers came from node A "
                + "%.1f s after the kill (LLM hold %d s included)%n", heldByB.size(), bCustomers, recoveryMs / 1000.0, LLM_HOLD.toSeconds());
        // the documented bound: dead after 5 missed 2 s heartbeats, looked for every 4 s, polled every 1 s
        assertThat(Duration.ofMillis(recoveryMs)).isLessThan(Duration.ofSeconds(15).plus(LLM_HOLD).plusSeconds(10));
    }

    /**
     * A node stopped the orderly way (SIGTERM, as an orchestrator or {@code docker stop} does) while it waits on the
     * LLM for its turns finishes them within {@code SWITCHBOARD_SHUTDOWN_GRACE} before it exits: its customers are
     * answered about when the LLM answers, not after the other node's dead-node takeover, and nobody twice.
     */
    @Test
    void aNodeStoppedMidTurnFinishesItsTurnsBeforeItExits(@TempDir Path dir) throws Exception {
        Cluster cluster = twoNodesWithCustomersWaitingOnTheLlm(dir);
        Set<String> heldByB = claimedBy("node-b");
        Set<String> bCustomers = customersOf(heldByB, cluster.phoneBySid());
        cluster.b().process.destroy(); // SIGTERM
        Instant stopped = Instant.now();

        assertThat(cluster.b().process.waitFor(40, TimeUnit.SECONDS)).as("node B exits within the 30 s grace").isTrue();
        Map<String, List<LoggedRequest>> answers = everyCustomerAnsweredOnce(cluster.phoneBySid());
        long latestMs = bCustomers.stream().mapToLong(phone ->
                answers.get(phone).get(0).getLoggedDate().toInstant().toEpochMilli() - stopped.toEpochMilli()).max().orElseThrow();
        System.out.printf("[two nodes] node B stopped (SIGTERM) holding %d turn(s); their answers %.1f s after the stop "
                + "(LLM hold %d s)%n", heldByB.size(), latestMs / 1000.0, LLM_HOLD.toSeconds());
        // finished where they ran: a takeover would need 5 missed 2 s heartbeats first (over 10 s)
        assertThat(Duration.ofMillis(latestMs)).isLessThan(LLM_HOLD.plusSeconds(6));
    }

    /** LLM settings pointing at the fake, an AI agent that answers at once, and a Twilio account it owns. */
    private String configure(Node node) throws Exception {
        node.call("PUT", "/api/v1/settings/llm", """
                {"api_key":"sk-two-nodes","base_url":"%s/v1"}""".formatted(fake.baseUrl()), 200);
        String agent = node.call("POST", "/api/v1/ai_agents", """
                {"name":"Lia","prompt":"Você atende clientes da loja.","model":"gpt-4o-mini","tools":[],
                 "settings":{"context_timer_seconds":0,"response_delay_min":0,"response_delay_max":0,
                             "turn_timeout_seconds":60}}""", 201);
        String account = node.call("POST", "/api/v1/channel_accounts", """
                {"type":"twilio","name":"WhatsApp","default_ai_agent_id":"%s",
                 "config":{"account_sid":"%s","auth_token":"%s","from":"%s"}}"""
                .formatted(field(agent, "id"), ACCOUNT_SID, AUTH_TOKEN, BUSINESS_NUMBER), 201);
        return field(account, "id");
    }

    private int customerMessage(Node node, String accountId, String sid, String phone) {
        String path = "/webhooks/twilio/" + accountId;
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", sid);
        params.put("SmsMessageSid", sid);
        params.put("AccountSid", ACCOUNT_SID);
        params.put("From", "whatsapp:" + phone);
        params.put("To", BUSINESS_NUMBER);
        params.put("Body", "Qual o prazo de entrega?");
        params.put("NumMedia", "0");
        params.put("ProfileName", "Cliente " + phone);
        params.put("WaId", phone.replace("+", ""));
        params.put("SmsStatus", "received");
        params.put("ApiVersion", "2010-04-01");
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSignature.compute(node.baseUrl() + path, params, AUTH_TOKEN))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Conversation ids (the turn job's instance id) whose turn the node has claimed. */
    private Set<String> claimedBy(String node) throws SQLException {
        return new TreeSet<>(query("select task_instance from scheduled_tasks where task_name = 'conversation-turn' "
                + "and picked and picked_by = '" + node + "'"));
    }

    private Set<String> customersOf(Set<String> conversations, Map<String, String> phoneBySid) throws SQLException {
        Set<String> phones = new TreeSet<>();
        for (String row : query("select conversation_id || ' ' || provider_message_id from messages where direction = 'inbound'")) {
            String[] parts = row.split(" ");
            if (conversations.contains(parts[0])) {
                phones.add(phoneBySid.get(parts[1]));
            }
        }
        return phones;
    }

    /** The messages Twilio was asked to send, by customer phone. */
    private Map<String, List<LoggedRequest>> answersByCustomer() {
        Map<String, List<LoggedRequest>> byPhone = new HashMap<>();
        for (LoggedRequest request : fake.findAll(postRequestedFor(urlEqualTo(MESSAGES)))) {
            String to = formParam(request, "To").replace("whatsapp:", "");
            byPhone.computeIfAbsent(to, k -> new ArrayList<>()).add(request);
        }
        return byPhone;
    }

    private static String body(LoggedRequest request) {
        return formParam(request, "Body");
    }

    private static String formParam(LoggedRequest request, String name) {
        for (String pair : request.getBodyAsString().split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    /** One text column of every row, read across tenants. */
    private List<String> query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), EmbeddedPostgresServer.ROLE, database.password());
             var s = c.createStatement()) {
            s.execute("set role switchboard_system"); // system scope: sees every tenant's rows
            List<String> values = new ArrayList<>();
            try (var rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder completion(String text) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                {"id":"chatcmpl-two-nodes","object":"chat.completion","created":1717000000,"model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":50,"completion_tokens":10,"total_tokens":60,"prompt_tokens_details":{"cached_tokens":0}}}"""
                .formatted(text));
    }

    private Node startNode(String name, Path dir) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Path log = home.resolve("app.log");
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.switchboard.SwitchboardApplication", "--db-scheduler.scheduler-name=" + name)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("SWITCHBOARD_") || k.startsWith("OPENAI_") || k.startsWith("SPRING_"));
        env.put("PORT", Integer.toString(port));
        env.put("SWITCHBOARD_DATA_DIR", home.toString());
        env.put("SWITCHBOARD_DB_URL", database.jdbcUrl());
        env.put("SWITCHBOARD_DB_USER", EmbeddedPostgresServer.ROLE);
        env.put("SWITCHBOARD_DB_PASSWORD", database.password());
        env.put("SWITCHBOARD_SECRET_KEY", SECRET_KEY);
        env.put("SWITCHBOARD_BOOTSTRAP_TOKEN", BOOTSTRAP_TOKEN);
        // an external database gets no demo by default; asked for here, the two first starts must create one
        env.put("SWITCHBOARD_DEMO_ENABLED", "true");
        // the fake LLM and Twilio listen on localhost, which tenant-set URLs may not reach by default
        env.put("SWITCHBOARD_OUTBOUND_ALLOW_PRIVATE_ADDRESSES", "true");
        // a short heartbeat keeps the test quick; the mechanism is the one the defaults (5 s x 6) use
        env.put("SWITCHBOARD_HEARTBEAT_INTERVAL", "2s");
        env.put("SWITCHBOARD_MISSED_HEARTBEATS_LIMIT", "5");
        env.put("SWITCHBOARD_TWILIO_API_BASE_URL", fake.baseUrl());
        Node node = new Node(name, builder.start(), port, log);
        nodes.add(node.process);
        return node;
    }

    private record Node(String name, Process process, int port, Path log) {

        String baseUrl() {
            return "http://localhost:" + port;
        }

        void awaitHealthy(Duration timeout) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited during start-up:\n" + tail());
                    }
                    try {
                        var health = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
                            return;
                        }
                    } catch (IOException notYet) {
                        // not listening yet
                    }
                    Thread.sleep(250);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(name + " was not healthy within " + timeout + ":\n" + tail());
        }

        String call(String method, String path, String json, int expected) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                    .header("Authorization", "Bearer " + BOOTSTRAP_TOKEN).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json)).build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " on " + name + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return response.body();
        }

        String tail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no '" + name + "' in " + json);
        }
        return m.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
