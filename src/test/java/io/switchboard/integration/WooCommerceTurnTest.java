package io.switchboard.integration;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.switchboard.support.AiFixtures.COMPLETIONS;
import static io.switchboard.support.AiFixtures.answer;
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
import io.switchboard.support.WooCommerceFake;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * "Cadê meu pedido 1234?" on WhatsApp: the scripted model calls {@code buscar_pedido_woocommerce}, the tool asks
 * the (fake) store, and the answer the customer gets depends on what the store said.
 */
@IntegrationTest
class WooCommerceTurnTest {

    static final Map<String, Object> FAST = Map.of("context_timer_seconds", 1, "response_delay_min", 0, "response_delay_max", 0);
    static final String CUSTOMER_PHONE = "+5511970001234";

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Autowired
    JsonMapper json;

    WireMockServer fake;
    WooCommerceFake store;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        store = new WooCommerceFake(fake);
    }

    @Test
    void theCustomerAsksForTheirOrderAndTheReplyCarriesTheStatusTheStoreReports() {
        store.stubOrder(1234, "processing", "maria@example.com", "(11) 97000-1234");
        modelLooksUpOrder1234ThenAnswersOnlyIfToolSaid("Pagamento confirmado, pedido em preparação",
                "Seu pedido 1234 está com pagamento confirmado e em preparação. Rastreio: BR123456789BR.");
        var setup = woocommerceAgent("Woo Own Order");

        channels.twilioMessage(setup.accountId(), sid(), CUSTOMER_PHONE, "cadê meu pedido 1234?");

        await().atMost(Duration.ofSeconds(20)).until(() -> !twilioBodies(fake, setup).isEmpty());
        assertThat(twilioBodies(fake, setup)).containsExactly(
                "Seu pedido 1234 está com pagamento confirmado e em preparação. Rastreio: BR123456789BR.");
        String credentials = Base64.getEncoder().encodeToString((WooCommerceFake.KEY + ":" + WooCommerceFake.SECRET)
                .getBytes(StandardCharsets.UTF_8));
        fake.verify(getRequestedFor(urlPathEqualTo(store.api("/orders/1234"))).withHeader("Authorization", equalTo("Basic " + credentials)));
        JsonNode toolResult = json.readTree(toolMessages(setup).get(0));
        assertThat(toolResult.get("status").asString()).isEqualTo("processing");
        assertThat(toolResult.get("itens").get(0).get("nome").asString()).isEqualTo("Camiseta Azul - M");
        assertThat(toolResult.get("rastreio").get(0).get("codigo").asString()).isEqualTo("BR123456789BR");
        assertThat(toolResult.get("notas_ao_cliente").get(0).asString()).contains("BR123456789BR");
        assertThat(toolResult.toString()).as("trimmed: no address, no order key").doesNotContain("Rua das Flores", "wc_order_");
        JsonNode call = toolLog(setup).get(0);
        assertThat(call.get("tool").asString()).isEqualTo("buscar_pedido_woocommerce");
        assertThat(call.get("success").asBoolean()).isTrue();
        assertThat(call.get("arguments").asString()).contains("1234");
        assertThat(call.has("duration_ms")).isTrue();
    }

    @Test
    void anOrderOfAnotherCustomerReadsLikeAMissingOneAndNothingOfItReachesTheModel() {
        store.stubOrder(1234, "completed", "joao@example.com", "(21) 98888-7777");
        modelLooksUpOrder1234ThenAnswersOnlyIfToolSaid("nenhum pedido 1234 deste cliente",
                "Não encontrei o pedido 1234 no seu cadastro. Pode me passar o e-mail usado na compra?");
        var setup = woocommerceAgent("Woo Other Order");

        channels.twilioMessage(setup.accountId(), sid(), CUSTOMER_PHONE, "cadê meu pedido 1234?");

        await().atMost(Duration.ofSeconds(20)).until(() -> !twilioBodies(fake, setup).isEmpty());
        assertThat(twilioBodies(fake, setup)).containsExactly(
                "Não encontrei o pedido 1234 no seu cadastro. Pode me passar o e-mail usado na compra?");
        String toolResult = toolMessages(setup).get(0);
        assertThat(toolResult).contains("\"encontrado\": false").doesNotContain("completed", "joao", "Camiseta", "219.80");
    }

    @Test
    void storeErrorsBecomeClearToolErrorsAndTheThirdHandsTheCustomerToAPerson() {
        String orders = store.api("/orders/1234");
        fake.stubFor(get(urlPathEqualTo(orders)).inScenario("store").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(WooCommerceFake.error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."))
                .willSetStateTo("broken"));
        fake.stubFor(get(urlPathEqualTo(orders)).inScenario("store").whenScenarioStateIs("broken")
                .willReturn(WooCommerceFake.error(500, "internal_server_error", "There has been a critical error on this website."))
                .willSetStateTo("slow"));
        fake.stubFor(get(urlPathEqualTo(orders)).inScenario("store").whenScenarioStateIs("slow")
                .willReturn(WooCommerceFake.json(200, WooCommerceFake.orderJson(1234, "processing", "maria@example.com", "11970001234"))
                        .withFixedDelay(2500)));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(toolCalls(List.<String[]>of(
                new String[] {"call_" + UUID.randomUUID().toString().substring(0, 8), "buscar_pedido_woocommerce", "{\"numero_pedido\":1234}"}),
                300, 0, 20)));
        var setup = woocommerceAgent("Woo Broken", Map.of("timeout_seconds", 1));

        channels.twilioMessage(setup.accountId(), sid(), CUSTOMER_PHONE, "cadê meu pedido 1234?");

        await().atMost(Duration.ofSeconds(30)).until(() -> !twilioBodies(fake, setup).isEmpty());
        List<JsonNode> calls = toolLog(setup);
        assertThat(calls).hasSize(3);
        assertThat(calls).allSatisfy(c -> assertThat(c.get("success").asBoolean()).isFalse());
        assertThat(calls.get(0).get("result").asString()).contains("WooCommerce refused the credentials with HTTP 401")
                .contains("woocommerce_rest_cannot_view").doesNotContain(WooCommerceFake.SECRET);
        assertThat(calls.get(1).get("result").asString()).contains("WooCommerce failed with HTTP 500");
        assertThat(calls.get(2).get("result").asString()).contains("did not answer within 1000 ms");
        assertThat(completionRequests(fake, setup)).as("no fourth round after the third failure").hasSize(3);
        JsonNode conversation = api.get("/api/v1/conversations/" + conversationId(setup), setup.tenant().agentToken()).json();
        assertThat(conversation.get("status").asString()).isEqualTo("waiting");
        assertThat(conversation.get("requires_human_attention").asBoolean()).isTrue();
    }

    private void modelLooksUpOrder1234ThenAnswersOnlyIfToolSaid(String toolSaid, String reply) {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("turn").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(toolCalls(List.<String[]>of(new String[] {"call_order", "buscar_pedido_woocommerce", "{\"numero_pedido\":1234}"}),
                        400, 0, 20))
                .willSetStateTo("looked-up"));
        // the final answer exists only if the tool's result (sent back to the model) says it
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("turn").whenScenarioStateIs("looked-up")
                .withRequestBody(containing(toolSaid))
                .willReturn(answer(reply, 500, 0, 30)));
    }

    private AiFixtures.AiSetup woocommerceAgent(String name) {
        return woocommerceAgent(name, Map.of());
    }

    private AiFixtures.AiSetup woocommerceAgent(String name, Map<String, Object> extraSettings) {
        var setup = fixtures.create(name, FAST, List.of("buscar_pedido_woocommerce"), true);
        Map<String, Object> settings = new LinkedHashMap<>(extraSettings);
        settings.put("site_url", store.siteUrl());
        var created = api.post("/api/v1/integrations", setup.tenant().adminToken(), Map.of("kind", "woocommerce", "name", "Loja",
                "settings", settings, "secrets", Map.of("consumer_key", WooCommerceFake.KEY, "consumer_secret", WooCommerceFake.SECRET)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(WooCommerceFake.SECRET);
        return setup;
    }

    private List<String> toolMessages(AiFixtures.AiSetup setup) {
        List<String> contents = new ArrayList<>();
        for (var request : completionRequests(fake, setup)) {
            for (JsonNode m : json.readTree(request.getBodyAsString()).get("messages")) {
                if ("tool".equals(m.get("role").asString()) && !contents.contains(m.get("content").asString())) {
                    contents.add(m.get("content").asString());
                }
            }
        }
        return contents;
    }

    private List<JsonNode> toolLog(AiFixtures.AiSetup setup) {
        JsonNode ai = api.get("/api/v1/conversations/" + conversationId(setup) + "/ai", setup.tenant().agentToken()).json().get(0);
        List<JsonNode> calls = new ArrayList<>();
        ai.get("tools_used").forEach(calls::add);
        return calls;
    }

    private String conversationId(AiFixtures.AiSetup setup) {
        return api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items").get(0).get("id").asString();
    }

    static String sid() {
        return "SM" + UUID.randomUUID().toString().replace("-", "");
    }
}
