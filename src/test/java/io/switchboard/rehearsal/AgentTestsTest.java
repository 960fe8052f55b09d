package io.switchboard.rehearsal;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.switchboard.support.AiFixtures.completionRequests;
import static io.switchboard.support.AiFixtures.twilioBodies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.OrderLookupModel;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.WooCommerceFake;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Testing an agent before it talks to customers: a scenario with a scripted model passes, a prompt change that
 * sends the model down another path fails with a readable difference, a replay of a real conversation with a
 * tool call reproduces it, and none of it touches the store or the agent's real limits.
 */
@IntegrationTest
class AgentTestsTest {

    static final Map<String, Object> FAST = Map.of("context_timer_seconds", 1, "response_delay_min", 0, "response_delay_max", 0,
            // two model calls a minute: a rehearsal that counted would leave the real customer without an answer
            "rate_limits", Map.of("requests_per_minute", 2));
    static final String ORDER_LOOKUP = OrderLookupModel.ORDER_LOOKUP;

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    WireMockServer fake;
    WooCommerceFake store;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        store = new WooCommerceFake(fake);
        OrderLookupModel.stub(fake);
    }

    @Test
    void aScenarioPassesAPromptChangeFailsWithAReadableDiffAndNeitherTouchesTheStoreNorTheLimits() {
        var setup = agentWithStore("Rehearsal Scenarios");
        String admin = setup.tenant().adminToken();
        var created = api.post("/api/v1/test_scenarios", admin, Map.of("ai_agent_id", setup.agentId(), "name", "Order status",
                "turns", List.of("cadê meu pedido 1234?"),
                "fixtures", List.of(Map.of("tool", ORDER_LOOKUP, "arguments", Map.of("numero_pedido", 1234),
                        "result", Map.of("numero", 1234, "status", "processing"))),
                "expect", Map.of("tool_calls", List.of(Map.of("tool", ORDER_LOOKUP, "arguments", Map.of("numero_pedido", 1234))),
                        "contains", List.of("preparação"), "outcome", "answered", "max_rounds", 2, "max_cost_usd", 0.01)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        JsonNode passed = finishedRun(admin, Map.of("ai_agent_id", setup.agentId(), "repeat", 2));
        assertThat(passed.get("status").asString()).isEqualTo("passed");
        assertThat(passed.get("total").asInt()).isEqualTo(2);
        assertThat(passed.get("pass_hat_k").asDouble()).isEqualTo(1.0);
        JsonNode report = results(admin, passed).get(0).get("report");
        assertThat(report.get("turns").get(0).get("answer").asString()).isEqualTo("Seu pedido 1234 está em preparação.");
        assertThat(report.get("turns").get(0).get("tool_calls").get(0).get("fixtured").asBoolean()).isTrue();
        assertThat(report.get("tokens").asLong()).isEqualTo(950);
        assertThat(report.get("cost").decimalValue()).isPositive();
        assertThat(passed.get("cost_usd").decimalValue()).isPositive();

        JsonNode failed = finishedRun(admin, Map.of("ai_agent_id", setup.agentId(), "draft", Map.of("prompt", "Você é o Leo, atendente.")));
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        List<String> broken = failedChecks(results(admin, failed).get(0).get("report"));
        assertThat(broken).contains(
                "calls buscar_pedido_woocommerce with {\"numero_pedido\":1234} — but no tool was called",
                "answers contain \"preparação\" — but the answers were: Não consigo ver pedidos, desculpe.");
        assertThat(api.get("/api/v1/ai_agents/" + setup.agentId(), admin).json().get("prompt").asString())
                .as("a draft is only tried, never saved").isEqualTo("Você é a Lia, atendente da loja.");
        var gate = api.post("/api/v1/test_runs/" + failed.get("id").asString() + "/publish", admin, Map.of());
        assertThat(gate.status()).isEqualTo(409);
        assertThat(gate.json().get("detail").asString()).contains("only after its suite passed");

        JsonNode gated = finishedRun(admin, Map.of("ai_agent_id", setup.agentId(), "draft", Map.of("temperature", 0.2),
                "publish_if_passed", true));
        assertThat(gated.get("status").asString()).isEqualTo("passed");
        assertThat(gated.get("published_at").isNull()).isFalse();
        assertThat(api.get("/api/v1/ai_agents/" + setup.agentId(), admin).json().get("temperature").asDouble())
                .as("the passing draft was published").isEqualTo(0.2);

        fake.verify(0, getRequestedFor(urlPathMatching(store.api("/.*"))));
        assertThat(completionRequests(fake, setup)).hasSize(7);
        // the agent may make 2 model calls a minute; the 7 of the runs did not count, so a real customer is answered
        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), "+5511970001234", "cadê meu pedido 1234?");
        await().atMost(Duration.ofSeconds(20)).until(() -> !twilioBodies(fake, setup).isEmpty());
        assertThat(twilioBodies(fake, setup)).containsExactly("Seu pedido 1234 está em preparação.");
    }

    @Test
    void aReplayOfARealConversationReproducesItFromFixturesAndADraftShowsWhereItDiffers() {
        var setup = agentWithStore("Rehearsal Replay");
        String admin = setup.tenant().adminToken();
        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), "+5511970001234", "cadê meu pedido 1234?");
        await().atMost(Duration.ofSeconds(20)).until(() -> !twilioBodies(fake, setup).isEmpty());
        int storeCalls = fake.findAll(getRequestedFor(urlPathMatching(store.api("/.*")))).size();
        assertThat(storeCalls).isPositive();
        String conversationId = api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items").get(0).get("id").asString();

        var replayed = api.post("/api/v1/conversations/" + conversationId + "/replay_as_test_scenario", admin, Map.of("name", "Pedido 1234"));
        assertThat(replayed.status()).as(replayed.body()).isEqualTo(201);
        JsonNode scenario = replayed.json();
        assertThat(scenario.get("definition").get("turns").get(0).asString()).isEqualTo("cadê meu pedido 1234?");
        assertThat(scenario.get("definition").get("fixtures").get(0).get("tool").asString()).isEqualTo(ORDER_LOOKUP);
        assertThat(scenario.get("baseline").get("turns").get(0).get("answer").asString()).isEqualTo("Seu pedido 1234 está em preparação.");

        JsonNode same = finishedRun(admin, Map.of("ai_agent_id", setup.agentId()));
        assertThat(same.get("status").asString()).isEqualTo("passed");
        JsonNode report = results(admin, same).get(0).get("report");
        assertThat(report.get("matches_baseline").asBoolean()).isTrue();
        assertThat(report.get("differences")).isEmpty();
        assertThat(fake.findAll(getRequestedFor(urlPathMatching(store.api("/.*"))))).as("the recorded result answered").hasSize(storeCalls);

        JsonNode changed = finishedRun(admin, Map.of("ai_agent_id", setup.agentId(), "draft", Map.of("prompt", "Você é o Leo, atendente.")));
        JsonNode diff = results(admin, changed).get(0).get("report");
        assertThat(diff.get("matches_baseline").asBoolean()).isFalse();
        assertThat(diff.get("differences").findValuesAsString("field")).containsExactly("answer", "tool_calls");
        assertThat(diff.get("differences").get(0).get("original").asString()).isEqualTo("Seu pedido 1234 está em preparação.");
        assertThat(diff.get("differences").get(0).get("now").asString()).isEqualTo("Não consigo ver pedidos, desculpe.");

        var exported = api.get("/api/v1/test_scenarios/" + scenario.get("id").asString() + "/export?format=yaml", admin);
        assertThat(exported.body()).contains("name: Pedido 1234", "agent: Lia", "- cadê meu pedido 1234?", "baseline:");
        var imported = api.post("/api/v1/test_scenarios/import?ai_agent_id=" + setup.agentId(), admin,
                exported.body().replace("name: Pedido 1234", "name: Pedido 1234 (copy)"));
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        assertThat(imported.json().get("items").get(0).get("baseline").get("outcome").get("kind").asString()).isEqualTo("answered");
    }

    @Test
    void theCommandLineRunsAFolderOfScenariosAgainstTheRunningInstanceAndWritesAJunitReport(@TempDir Path folder) throws Exception {
        var setup = agentWithStore("Rehearsal Command Line");
        Files.writeString(folder.resolve("order.yaml"), """
                name: Order status
                agent: Lia
                turns:
                  - cadê meu pedido 1234?
                fixtures:
                  - tool: buscar_pedido_woocommerce
                    arguments: {numero_pedido: 1234}
                    result: {numero: 1234, status: processing}
                expect:
                  tool_calls:
                    - tool: buscar_pedido_woocommerce
                      arguments: {numero_pedido: {regex: "^1234$"}}
                  contains: [preparação]
                  outcome: answered
                ---
                name: Delivered already
                agent: Lia
                turns: ["cadê meu pedido 1234?"]
                fixtures:
                  - tool: buscar_pedido_woocommerce
                    result: {numero: 1234, status: processing}
                expect:
                  contains: [entregue]
                """);
        Files.writeString(folder.resolve("notes.txt"), "not a scenario");
        Path report = folder.resolve("report.xml");
        var printed = new ByteArrayOutputStream();

        int exit = AgentTestsCommand.run(new String[] {folder.toString(), "--base-url", api.baseUrl(), "--token",
                setup.tenant().adminToken(), "--report", report.toString()}, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(exit).as(printed.toString(StandardCharsets.UTF_8)).isEqualTo(1);
        String xml = Files.readString(report);
        assertThat(xml).contains("<testsuite name=\"agent Lia\" tests=\"2\" failures=\"1\"",
                "<testcase classname=\"Lia\" name=\"Order status\"", "<testcase classname=\"Lia\" name=\"Delivered already\"",
                "<failure message=\"✗ answers contain &quot;entregue&quot; — but the answers were: Seu pedido 1234 está em preparação.\"");
        assertThat(javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile())
                .getElementsByTagName("testcase").getLength()).isEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("FAILED — JUnit report written to");
        fake.verify(0, getRequestedFor(urlPathMatching(store.api("/.*"))));

        int refused = AgentTestsCommand.run(new String[] {folder.toString(), "--base-url", api.baseUrl(), "--token", "wrong"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(refused).isEqualTo(2);
    }

    @Test
    void aSimulatedCustomerWritesUntilItStopsAJudgeChecksTheAnswerAndTheRunIsMarkedNonDeterministic() {
        // the simulator (recognized by its instructions) asks about the order, and stops once it read the answer
        fake.stubFor(post(urlEqualTo(AiFixtures.COMPLETIONS)).withRequestBody(containing("simulating a customer")).atPriority(2)
                .willReturn(AiFixtures.answer("oi, cadê meu pedido 1234?", 100, 0, 10)));
        fake.stubFor(post(urlEqualTo(AiFixtures.COMPLETIONS)).withRequestBody(containing("simulating a customer"))
                .withRequestBody(containing("em preparação")).atPriority(1).willReturn(AiFixtures.answer("###STOP###", 120, 0, 3)));
        fake.stubFor(post(urlEqualTo(AiFixtures.COMPLETIONS)).withRequestBody(containing("You are judging"))
                .withRequestBody(containing("the order status")).withRequestBody(containing("AGENT: Seu pedido 1234"))
                .willReturn(AiFixtures.answer("PASS: it says the order is being prepared.", 150, 0, 12)));
        var setup = agentWithStore("Rehearsal Simulated");
        String admin = setup.tenant().adminToken();
        assertThat(api.post("/api/v1/test_scenarios", admin, Map.of("ai_agent_id", setup.agentId(), "name", "Anxious buyer",
                "simulated_customer", Map.of("persona", "Maria, bought a T-shirt last week", "goal", "know where order 1234 is", "max_turns", 3),
                "fixtures", List.of(Map.of("tool", ORDER_LOOKUP, "result", Map.of("numero", 1234, "status", "processing"))),
                "expect", Map.of("tool_calls", List.of(Map.of("tool", ORDER_LOOKUP)), "outcome", "answered",
                        "judge", List.of("the agent tells the customer the order status")))).status()).isEqualTo(201);

        JsonNode run = finishedRun(admin, Map.of("ai_agent_id", setup.agentId()));

        assertThat(run.get("status").asString()).isEqualTo("passed");
        JsonNode report = results(admin, run).get(0).get("report");
        assertThat(report.get("non_deterministic").asBoolean()).isTrue();
        assertThat(report.get("turns")).hasSize(1);
        assertThat(report.get("turns").get(0).get("customer").get(0).asString()).isEqualTo("oi, cadê meu pedido 1234?");
        assertThat(report.get("turns").get(0).get("answer").asString()).isEqualTo(OrderLookupModel.LIA_ANSWER);
        JsonNode judged = report.get("checks").valueStream().filter(c -> "judge".equals(c.get("kind").asString())).findFirst().orElseThrow();
        assertThat(judged.get("passed").asBoolean()).isTrue();
        assertThat(judged.get("actual").get(0).asString()).isEqualTo("it says the order is being prepared.");
    }

    private AiFixtures.AiSetup agentWithStore(String name) {
        var setup = fixtures.create(name, FAST, List.of(ORDER_LOOKUP), true);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("site_url", store.siteUrl());
        store.stubOrder(1234, "processing", "maria@example.com", "(11) 97000-1234");
        var created = api.post("/api/v1/integrations", setup.tenant().adminToken(), Map.of("kind", "woocommerce", "name", "Loja",
                "settings", settings, "secrets", Map.of("consumer_key", WooCommerceFake.KEY, "consumer_secret", WooCommerceFake.SECRET)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return setup;
    }

    private JsonNode finishedRun(String token, Map<String, Object> body) {
        var started = api.post("/api/v1/test_runs", token, body);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String id = started.json().get("id").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> List.of("passed", "failed", "error")
                .contains(api.get("/api/v1/test_runs/" + id, token).json().get("status").asString()));
        JsonNode run = api.get("/api/v1/test_runs/" + id, token).json();
        assertThat(run.get("done").asInt()).isEqualTo(run.get("total").asInt());
        return run;
    }

    private JsonNode results(String token, JsonNode run) {
        return api.get("/api/v1/test_runs/" + run.get("id").asString() + "/results", token).json().get("items");
    }

    private static List<String> failedChecks(JsonNode report) {
        return report.get("checks").valueStream().filter(c -> !c.get("passed").asBoolean())
                .map(c -> c.get("description").asString()).toList();
    }
}
