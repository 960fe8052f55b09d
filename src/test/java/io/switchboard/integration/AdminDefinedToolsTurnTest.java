package io.switchboard.integration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.switchboard.support.AiFixtures.COMPLETIONS;
import static io.switchboard.support.AiFixtures.answer;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An administrator connects an HTTP API and an n8n workflow, defines a tool on each through the API, tries
 * them with sample arguments, gives them to the agent — and the model calls both in a customer's turn.
 */
@IntegrationTest
class AdminDefinedToolsTurnTest {

    static final Map<String, Object> FAST = Map.of("context_timer_seconds", 1, "response_delay_min", 0, "response_delay_max", 0);

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Autowired
    JsonMapper json;

    WireMockServer fake;
    String prefix;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        prefix = "/sys-" + UUID.randomUUID().toString().substring(0, 8);
        fake.stubFor(get(urlPathEqualTo(prefix + "/api/frete")).withHeader("X-Api-Key", equalTo("sk_live_frete_123"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"cep\":\"01001-000\",\"prazo_dias\":3,\"valor\":\"19.90\",\"interno\":{\"custo\":\"7.10\"}}")));
        fake.stubFor(post(urlEqualTo(prefix + "/webhook/abrir-chamado")).withHeader("X-N8N-Key", equalTo("n8n-secret"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"ticket\":\"T-1001\",\"fila\":\"trocas\"}")));
    }

    @Test
    void anHttpToolAndAnN8nToolDefinedThroughTheApiAreCalledInATurn() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("turn").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(toolCalls(List.<String[]>of(
                        new String[] {"call_frete", "consultar_frete", "{\"cep\":\"01001-000\"}"},
                        new String[] {"call_chamado", "abrir_chamado", "{\"assunto\":\"troca de tamanho\"}"}), 400, 0, 30))
                .willSetStateTo("called"));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("turn").whenScenarioStateIs("called")
                .withRequestBody(containing("prazo_dias")).withRequestBody(containing("T-1001"))
                .willReturn(answer("O frete sai por R$ 19,90 em 3 dias, e abri o chamado T-1001 para a troca.", 500, 0, 30)));
        var setup = fixtures.create("Own Tools", FAST, List.of(), true);
        String admin = setup.tenant().adminToken();
        String httpApi = createIntegration(admin, Map.of("kind", "http_api", "name", "Transportadora",
                "settings", Map.of("base_url", ProviderFakes.baseUrl() + prefix + "/api"), "secrets", Map.of("api_key", "sk_live_frete_123")));
        String n8n = createIntegration(admin, Map.of("kind", "n8n", "name", "Workflows",
                "settings", Map.of("webhook_url", ProviderFakes.baseUrl() + prefix + "/webhook/abrir-chamado", "auth_header_name", "X-N8N-Key"),
                "secrets", Map.of("auth_header_value", "n8n-secret")));

        var frete = api.post("/api/v1/ai_tools", admin, Map.of("slug", "consultar_frete", "type", "http",
                "description", "Consulta prazo e valor do frete para um CEP",
                "parameters", Map.of("type", "object", "properties", Map.of("cep", Map.of("type", "string", "minLength", 8)),
                        "required", List.of("cep"), "additionalProperties", false),
                "config", Map.of("integration_id", httpApi, "method", "GET", "url", "/frete?cep={{args.cep}}",
                        "headers", Map.of("X-Api-Key", "{{secret.api_key}}"), "response_fields", List.of("/prazo_dias", "/valor"),
                        "timeout_seconds", 3)));
        assertThat(frete.status()).as(frete.body()).isEqualTo(201);
        assertThat(frete.body()).doesNotContain("sk_live_frete_123");
        var chamado = api.post("/api/v1/ai_tools", admin, Map.of("slug", "abrir_chamado", "type", "n8n",
                "description", "Abre um chamado de troca no sistema da loja",
                "parameters", Map.of("type", "object", "properties", Map.of("assunto", Map.of("type", "string")), "required", List.of("assunto")),
                "config", Map.of("integration_id", n8n, "response_fields", List.of("/ticket"))));
        assertThat(chamado.status()).as(chamado.body()).isEqualTo(201);

        var trial = api.post("/api/v1/ai_tools/consultar_frete/test", admin, Map.of("arguments", Map.of("cep", "01001-000")));
        assertThat(trial.status()).as(trial.body()).isEqualTo(200);
        assertThat(trial.json().get("success").asBoolean()).isTrue();
        assertThat(json.readTree(trial.json().get("content").asString()))
                .isEqualTo(json.readTree("{\"/prazo_dias\":3,\"/valor\":\"19.90\"}"));
        var badTrial = api.post("/api/v1/ai_tools/consultar_frete/test", admin, Map.of("arguments", Map.of("cep", 1)));
        assertThat(badTrial.status()).isEqualTo(400);
        assertThat(badTrial.body()).contains("cep");

        var listed = api.get("/api/v1/ai_tools", setup.tenant().agentToken()).json();
        assertThat(listed.toString()).contains("consultar_frete", "abrir_chamado");
        var assigned = api.patch("/api/v1/ai_agents/" + setup.agentId(), admin, Map.of("tools", List.of("consultar_frete", "abrir_chamado")));
        assertThat(assigned.status()).as(assigned.body()).isEqualTo(200);

        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), "+5511970005555",
                "Quanto custa o frete pro CEP 01001-000? E quero trocar o tamanho da camiseta.");

        await().atMost(Duration.ofSeconds(20)).until(() -> !twilioBodies(fake, setup).isEmpty());
        assertThat(twilioBodies(fake, setup)).containsExactly("O frete sai por R$ 19,90 em 3 dias, e abri o chamado T-1001 para a troca.");
        fake.verify(2, getRequestedFor(urlPathEqualTo(prefix + "/api/frete")).withQueryParam("cep", equalTo("01001-000")));
        var n8nCalls = fake.findAll(postRequestedFor(urlEqualTo(prefix + "/webhook/abrir-chamado")));
        assertThat(n8nCalls).hasSize(1);
        JsonNode posted = json.readTree(n8nCalls.get(0).getBodyAsString());
        assertThat(posted.get("tool").asString()).isEqualTo("abrir_chamado");
        assertThat(posted.get("arguments").get("assunto").asString()).isEqualTo("troca de tamanho");
        assertThat(posted.get("contact").get("phone").asString()).contains("11970005555");
        assertThat(posted.get("conversation").get("id").asString()).isNotBlank();
        String conversation = api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items").get(0).get("id").asString();
        JsonNode log = api.get("/api/v1/conversations/" + conversation + "/ai", setup.tenant().agentToken()).json().get(0).get("tools_used");
        assertThat(log).hasSize(2);
        assertThat(log.get(0).get("result").asString()).doesNotContain("custo").contains("19.90");
        assertThat(log.get(1).get("result").asString()).contains("T-1001").doesNotContain("trocas");
    }

    @Test
    void aToolWhoseHostIsAPlaceholderOrWhoseSqlIsNotOneStatementIsRefused() {
        var setup = fixtures.create("Bad Tools", FAST, List.of(), false);
        String admin = setup.tenant().adminToken();
        var placeholderHost = api.post("/api/v1/ai_tools", admin, Map.of("slug", "pegar_url", "type", "http", "description", "x",
                "config", Map.of("method", "GET", "url", "http://{{args.host}}/x")));
        assertThat(placeholderHost.status()).isEqualTo(400);
        assertThat(placeholderHost.body()).contains("host must be written out");
        var builtIn = api.post("/api/v1/ai_tools", admin, Map.of("slug", "adicionar_tag", "type", "http", "description", "x",
                "config", Map.of("method", "GET", "url", "https://93.184.216.34/x")));
        assertThat(builtIn.status()).isEqualTo(409);
        var badType = api.post("/api/v1/ai_tools", admin, Map.of("slug", "qualquer", "type", "shell", "description", "x"));
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.body()).contains("type must be one of");
    }

    private String createIntegration(String token, Map<String, Object> body) {
        var created = api.post("/api/v1/integrations", token, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("secrets_set").toString()).doesNotContain("secret_123", "n8n-secret");
        return created.json().get("id").asString();
    }
}
