package io.switchboard.integration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.switchboard.support.AiFixtures.COMPLETIONS;
import static io.switchboard.support.AiFixtures.completionRequests;
import static io.switchboard.support.AiFixtures.toolCalls;
import static io.switchboard.support.AiFixtures.twilioBodies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Each admin-defined tool call may take several attempts at its backend — only for transient failures, only as
 * often as its retry policy says, and all within the tool's one timeout — and still counts as one tool call.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class ToolRetryTest {

    static final Map<String, Object> FAST = Map.of("context_timer_seconds", 1, "response_delay_min", 0, "response_delay_max", 0);

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    WireMockServer fake;
    String prefix;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        prefix = "/retry-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aGetToolWhoseBackendAnswers503ThenSucceedsInOneCallWithTwoAttemptsLogged(CapturedOutput output) {
        fake.stubFor(get(urlPathEqualTo(prefix + "/estoque")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("<html>Service Unavailable</html>")).willSetStateTo("up"));
        fake.stubFor(get(urlPathEqualTo(prefix + "/estoque")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"disponivel\":7}")));
        String admin = fixtures.create("Retry Get", FAST, List.of(), false).tenant().adminToken();
        defineTool(admin, "consultar_estoque", "GET", Map.of());

        var trial = api.post("/api/v1/ai_tools/consultar_estoque/test", admin, Map.of("arguments", Map.of()));

        assertThat(trial.json().get("success").asBoolean()).as(trial.body()).isTrue();
        assertThat(trial.json().get("content").asString()).contains("\"disponivel\":7");
        fake.verify(2, getRequestedFor(urlPathEqualTo(prefix + "/estoque")));
        assertThat(output.getOut()).contains("→ 503 in", "(attempt 1 of 2)").contains("→ 200 in", "(attempt 2 of 2)");
    }

    @Test
    void aPostToolWithTheDefaultPolicyIsNotRetried() {
        fake.stubFor(post(urlEqualTo(prefix + "/pedidos")).willReturn(aResponse().withStatus(503)));
        String admin = fixtures.create("Retry Post", FAST, List.of(), false).tenant().adminToken();
        defineTool(admin, "criar_pedido", "POST", Map.of());

        var trial = api.post("/api/v1/ai_tools/criar_pedido/test", admin, Map.of("arguments", Map.of()));

        assertThat(trial.json().get("success").asBoolean()).isFalse();
        assertThat(trial.json().get("content").asString()).contains("answered HTTP 503");
        fake.verify(1, postRequestedFor(urlEqualTo(prefix + "/pedidos")));
    }

    @Test
    void aClientErrorIsNeverRetriedWhateverThePolicy() {
        fake.stubFor(get(urlPathEqualTo(prefix + "/estoque")).willReturn(aResponse().withStatus(400).withBody("{\"erro\":\"sku invalido\"}")));
        String admin = fixtures.create("Retry 400", FAST, List.of(), false).tenant().adminToken();
        defineTool(admin, "consultar_estoque", "GET", Map.of("retry", Map.of("max_attempts", 5, "backoff_seconds", 0)));

        var trial = api.post("/api/v1/ai_tools/consultar_estoque/test", admin, Map.of("arguments", Map.of()));

        assertThat(trial.json().get("success").asBoolean()).isFalse();
        assertThat(trial.json().get("content").asString()).contains("answered HTTP 400", "sku invalido");
        fake.verify(1, getRequestedFor(urlPathEqualTo(prefix + "/estoque")));
    }

    @Test
    void a429IsWaitedOutForItsRetryAfterWhenWithinTheBoundAndNotBeyondIt() {
        fake.stubFor(get(urlPathEqualTo(prefix + "/estoque")).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("open"));
        fake.stubFor(get(urlPathEqualTo(prefix + "/estoque")).inScenario("limited").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"disponivel\":2}")));
        fake.stubFor(get(urlPathEqualTo(prefix + "/lento")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
        String admin = fixtures.create("Retry 429", FAST, List.of(), false).tenant().adminToken();
        defineTool(admin, "consultar_estoque", "GET", Map.of("timeout_seconds", 5));
        defineTool(admin, "consultar_lento", "GET", Map.of("url", prefix + "/lento", "retry", Map.of("max_attempts", 3)));

        long started = System.nanoTime();
        var waited = api.post("/api/v1/ai_tools/consultar_estoque/test", admin, Map.of("arguments", Map.of()));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        var refused = api.post("/api/v1/ai_tools/consultar_lento/test", admin, Map.of("arguments", Map.of()));

        assertThat(waited.json().get("success").asBoolean()).as(waited.body()).isTrue();
        assertThat(took).as("the Retry-After second was waited out").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        fake.verify(2, getRequestedFor(urlPathEqualTo(prefix + "/estoque")));
        assertThat(refused.json().get("success").asBoolean()).isFalse();
        assertThat(refused.json().get("content").asString()).contains("answered HTTP 429");
        fake.verify(1, getRequestedFor(urlPathEqualTo(prefix + "/lento")));
    }

    @Test
    void noAttemptStartsBeyondTheToolsTimeout() {
        fake.stubFor(get(urlPathEqualTo(prefix + "/estoque")).willReturn(aResponse().withStatus(503).withFixedDelay(600)));
        String admin = fixtures.create("Retry Deadline", FAST, List.of(), false).tenant().adminToken();
        defineTool(admin, "consultar_estoque", "GET", Map.of("timeout_seconds", 1,
                "retry", Map.of("max_attempts", 5, "backoff_seconds", 0, "max_backoff_seconds", 0)));

        long started = System.nanoTime();
        var trial = api.post("/api/v1/ai_tools/consultar_estoque/test", admin, Map.of("arguments", Map.of()));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(trial.json().get("success").asBoolean()).isFalse();
        assertThat(trial.json().get("content").asString()).contains("did not answer within 1000 ms");
        assertThat(took).isLessThan(Duration.ofMillis(1800));
        // 600 ms, then the 400 ms left for a second attempt; a third would start after the deadline
        fake.verify(2, getRequestedFor(urlPathEqualTo(prefix + "/estoque")));
    }

    @Test
    void threeFailedToolCallsEachWithRetriesHandTheCustomerOverOnce() {
        fake.stubFor(get(urlPathEqualTo(prefix + "/estoque")).willReturn(aResponse().withStatus(503)));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(toolCalls(List.<String[]>of(
                new String[] {"call_" + UUID.randomUUID().toString().substring(0, 8), "consultar_estoque", "{}"}), 300, 0, 20)));
        var setup = fixtures.create("Retry Handoff", FAST, List.of(), true);
        String admin = setup.tenant().adminToken();
        defineTool(admin, "consultar_estoque", "GET", Map.of("retry", Map.of("max_attempts", 2, "backoff_seconds", 0.05)));
        assertThat(api.patch("/api/v1/ai_agents/" + setup.agentId(), admin, Map.of("tools", List.of("consultar_estoque"))).status()).isEqualTo(200);

        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), "+5511970007777",
                "tem a camiseta azul M?");

        await().atMost(Duration.ofSeconds(30)).until(() -> !twilioBodies(fake, setup).isEmpty());
        String conversation = api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items").get(0).get("id").asString();
        List<JsonNode> calls = new ArrayList<>();
        api.get("/api/v1/conversations/" + conversation + "/ai", setup.tenant().agentToken()).json().get(0).get("tools_used").forEach(calls::add);
        assertThat(calls).hasSize(3).allSatisfy(c -> assertThat(c.get("success").asBoolean()).isFalse());
        fake.verify(6, getRequestedFor(urlPathEqualTo(prefix + "/estoque")));
        assertThat(completionRequests(fake, setup)).as("the handoff came after three tool calls, not three attempts").hasSize(3);
        assertThat(twilioBodies(fake, setup)).as("one handoff message").hasSize(1);
        JsonNode state = api.get("/api/v1/conversations/" + conversation, setup.tenant().agentToken()).json();
        assertThat(state.get("status").asString()).isEqualTo("waiting");
        assertThat(state.get("requires_human_attention").asBoolean()).isTrue();
    }

    @Test
    void badRetrySettingsAreRefusedWhenSaved() {
        String admin = fixtures.create("Retry Invalid", FAST, List.of(), false).tenant().adminToken();
        var tooMany = api.post("/api/v1/ai_tools", admin, toolBody("consultar_estoque", "GET", Map.of("retry", Map.of("max_attempts", 9))));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.raw().headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(tooMany.body()).contains("config.retry.max_attempts must be a whole number from 1 to 5");
        var unknown = api.post("/api/v1/ai_tools", admin, toolBody("consultar_estoque", "GET", Map.of("retry", Map.of("attempts", 2))));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("config.retry does not include [attempts]");
        var negative = api.post("/api/v1/ai_tools", admin, toolBody("consultar_estoque", "GET", Map.of("retry", Map.of("backoff_seconds", -1))));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.body()).contains("config.retry.backoff_seconds");
        var integration = api.post("/api/v1/integrations", admin, Map.of("kind", "http_api", "name", "Estoque",
                "settings", Map.of("base_url", ProviderFakes.baseUrl(), "retry", Map.of("max_attempts", "muitas"))));
        assertThat(integration.status()).isEqualTo(400);
        assertThat(integration.raw().headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(integration.body()).contains("settings.retry.max_attempts");
        assertThat(api.get("/api/v1/ai_tools", admin).json().toString()).doesNotContain("consultar_estoque");
    }

    private void defineTool(String admin, String slug, String method, Map<String, Object> config) {
        var created = api.post("/api/v1/ai_tools", admin, toolBody(slug, method, config));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private Map<String, Object> toolBody(String slug, String method, Map<String, Object> extra) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("method", method);
        config.put("url", ProviderFakes.baseUrl() + prefix + (method.equals("GET") ? "/estoque" : "/pedidos"));
        config.put("timeout_seconds", 3);
        config.putAll(extra);
        if (config.get("url").toString().startsWith("/")) {
            config.put("url", ProviderFakes.baseUrl() + config.get("url"));
        }
        return Map.of("slug", slug, "type", "http", "description", "Ferramenta de teste " + slug,
                "parameters", Map.of("type", "object", "properties", Map.of()), "config", config);
    }
}
