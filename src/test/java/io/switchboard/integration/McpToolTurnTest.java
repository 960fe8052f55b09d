package io.switchboard.integration;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.switchboard.support.AiFixtures.COMPLETIONS;
import static io.switchboard.support.AiFixtures.answer;
import static io.switchboard.support.AiFixtures.toolCalls;
import static io.switchboard.support.AiFixtures.twilioBodies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small MCP server (streamable HTTP, JSON-RPC answered as application/json) started by the test: the
 * administrator connects it, sees its tools, makes one an AI tool, and the model calls it in a turn.
 */
@IntegrationTest
class McpToolTurnTest {

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
    HttpServer mcp;
    final List<JsonNode> toolCallsReceived = new CopyOnWriteArrayList<>();

    @BeforeEach
    void servers() throws IOException {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        mcp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mcp.createContext("/mcp", this::serve);
        mcp.start();
    }

    @AfterEach
    void stop() {
        mcp.stop(0);
    }

    @Test
    void anMcpServersToolIsListedMadeAnAiToolAndCalledInATurn() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("mcp").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(toolCalls(List.<String[]>of(new String[] {"call_clima", "previsao_do_tempo", "{\"cidade\":\"Recife\"}"}), 300, 0, 20))
                .willSetStateTo("called"));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("mcp").whenScenarioStateIs("called")
                .withRequestBody(containing("Sol, 28 graus em Recife"))
                .willReturn(answer("Em Recife está sol, 28 graus — dá para receber a entrega hoje!", 400, 0, 20)));
        var setup = fixtures.create("MCP", FAST, List.of(), true);
        String admin = setup.tenant().adminToken();
        var server = api.post("/api/v1/integrations", admin, Map.of("kind", "mcp", "name", "Clima",
                "settings", Map.of("transport", "streamable_http", "url", "http://127.0.0.1:" + mcp.getAddress().getPort() + "/mcp"),
                "secrets", Map.of("bearer_token", "mcp-token-1")));
        assertThat(server.status()).as(server.body()).isEqualTo(201);
        String serverId = server.json().get("id").asString();

        var offered = api.get("/api/v1/integrations/" + serverId + "/mcp_tools", admin);
        assertThat(offered.status()).as(offered.body()).isEqualTo(200);
        assertThat(offered.json().get(0).get("name").asString()).isEqualTo("consultar_clima");
        assertThat(offered.json().get(0).get("parameters_schema").asString()).contains("cidade");
        var tested = api.post("/api/v1/integrations/" + serverId + "/test_connection", admin, Map.of());
        assertThat(tested.json().get("ok").asBoolean()).as(tested.body()).isTrue();
        assertThat(tested.json().get("message").asString()).contains("consultar_clima");

        var tool = api.post("/api/v1/ai_tools", admin, Map.of("slug", "previsao_do_tempo", "type", "mcp",
                "config", Map.of("integration_id", serverId, "tool", "consultar_clima")));
        assertThat(tool.status()).as(tool.body()).isEqualTo(201);
        assertThat(tool.json().get("description").asString()).as("taken from the server").isEqualTo("Previsão do tempo de uma cidade");
        assertThat(tool.json().get("parameters").get("properties").has("cidade")).isTrue();
        assertThat(api.patch("/api/v1/ai_agents/" + setup.agentId(), admin, Map.of("tools", List.of("previsao_do_tempo"))).status())
                .isEqualTo(200);

        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), "+5581970001111",
                "Vai chover em Recife hoje?");

        await().atMost(Duration.ofSeconds(20)).until(() -> !twilioBodies(fake, setup).isEmpty());
        assertThat(twilioBodies(fake, setup)).containsExactly("Em Recife está sol, 28 graus — dá para receber a entrega hoje!");
        assertThat(toolCallsReceived).hasSize(1);
        assertThat(toolCallsReceived.get(0).get("params").get("name").asString()).isEqualTo("consultar_clima");
        assertThat(toolCallsReceived.get(0).get("params").get("arguments").get("cidade").asString()).isEqualTo("Recife");
        String conversation = api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items").get(0).get("id").asString();
        JsonNode logged = api.get("/api/v1/conversations/" + conversation + "/ai", setup.tenant().agentToken()).json().get(0)
                .get("tools_used").get(0);
        assertThat(logged.get("tool").asString()).isEqualTo("previsao_do_tempo");
        assertThat(logged.get("success").asBoolean()).isTrue();
        assertThat(logged.get("arguments").asString()).contains("Recife");
        assertThat(logged.get("result").asString()).contains("Sol, 28 graus em Recife");
    }

    /** MCP over streamable HTTP: one JSON-RPC message per POST, answered as application/json. */
    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (!"Bearer mcp-token-1".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            JsonNode request = json.readTree(exchange.getRequestBody().readAllBytes());
            if (!request.has("id")) {
                exchange.sendResponseHeaders(202, -1); // a notification
                return;
            }
            ObjectNode response = json.createObjectNode().put("jsonrpc", "2.0");
            response.set("id", request.get("id"));
            switch (request.get("method").asString()) {
                case "initialize" -> response.set("result", json.readTree("""
                        {"protocolVersion": %s, "capabilities": {"tools": {"listChanged": false}},
                         "serverInfo": {"name": "clima-test", "version": "1.0.0"}}""".formatted(request.get("params").get("protocolVersion"))));
                case "tools/list" -> response.set("result", json.readTree("""
                        {"tools": [{"name": "consultar_clima", "description": "Previsão do tempo de uma cidade",
                          "inputSchema": {"type": "object", "properties": {"cidade": {"type": "string", "description": "Nome da cidade"}},
                                          "required": ["cidade"]}}]}"""));
                case "tools/call" -> {
                    toolCallsReceived.add(request);
                    String city = request.get("params").get("arguments").get("cidade").asString();
                    response.set("result", json.createObjectNode().put("isError", false).set("content",
                            json.createArrayNode().add(json.createObjectNode().put("type", "text").put("text", "Sol, 28 graus em " + city))));
                }
                case "ping" -> response.set("result", json.createObjectNode());
                default -> response.set("error", json.createObjectNode().put("code", -32601).put("message", "Method not found"));
            }
            byte[] body = response.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Mcp-Session-Id", "session-1");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
