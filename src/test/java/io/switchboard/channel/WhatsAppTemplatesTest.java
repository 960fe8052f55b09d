package io.switchboard.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.database.TenantScope;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.TemplateFakes;
import io.switchboard.support.Tenants;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * WhatsApp templates through the API, as an automation uses them: the approved templates of a Meta or Twilio account
 * are listed from the provider, and one is sent with its variables to a customer whose 24-hour window closed.
 */
@IntegrationTest
class WhatsAppTemplatesTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Channels channels;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    WireMockServer fake;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
    }

    @Test
    void anAutomationListsTheApprovedTemplatesAndSendsOneWithItsVariablesAfterTheWindowClosed() {
        var tenant = tenants.create("Templates Meta");
        UUID account = TemplateFakes.metaAccountWithTemplates(channels, fake, tenant);
        UUID conversation = TemplateFakes.conversationTwoDaysOld(channels, api, jdbc, tenant, account);

        JsonNode window = api.get("/api/v1/conversations/" + conversation + "/whatsapp_window", tenant.agentToken()).json();
        assertThat(window.get("applies").asBoolean()).isTrue();
        assertThat(window.get("closed").asBoolean()).isTrue();
        JsonNode listed = api.get("/api/v1/channel_accounts/" + account + "/templates", tenant.agentToken()).json().get("items");
        assertThat(listed.size()).as("only approved templates").isEqualTo(1);
        assertThat(listed.get(0).get("name").asString()).isEqualTo("pedido_enviado");
        assertThat(listed.get(0).get("variables").asInt()).isEqualTo(2);
        assertThat(listed.get(0).get("body").asString()).isEqualTo("Olá {{1}}, seu pedido {{2}} saiu para entrega.");

        var missing = api.post("/api/v1/conversations/" + conversation + "/send_template", tenant.adminToken(),
                Map.of("name", "pedido_enviado", "language", "pt_BR", "variables", List.of("Maria")));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("needs 2 non-empty values");
        var rejected = api.post("/api/v1/conversations/" + conversation + "/send_template", tenant.adminToken(),
                Map.of("name", "promo_natal", "variables", List.of()));
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.body()).contains("not an approved template");

        var sent = api.post("/api/v1/conversations/" + conversation + "/send_template", tenant.adminToken(),
                Map.of("name", "pedido_enviado", "language", "pt_BR", "variables", List.of("Maria", "4521")));
        assertThat(sent.status()).isEqualTo(201);
        assertThat(sent.json().get("content").asString()).isEqualTo("Olá Maria, seu pedido 4521 saiu para entrega.");

        var toMeta = postRequestedFor(urlPathMatching(Channels.metaMessagesPathPattern(Channels.metaPhoneNumberId(tenant))));
        await().atMost(Duration.ofSeconds(15)).until(() -> !fake.findAll(toMeta).isEmpty());
        JsonNode payload = json.readTree(fake.findAll(toMeta).get(0).getBodyAsString());
        assertThat(payload.get("type").asString()).isEqualTo("template");
        assertThat(payload.get("to").asString()).isEqualTo("5511987650001");
        assertThat(payload.get("template").get("name").asString()).isEqualTo("pedido_enviado");
        assertThat(payload.get("template").get("language").get("code").asString()).isEqualTo("pt_BR");
        JsonNode parameters = payload.get("template").get("components").get(0).get("parameters");
        assertThat(parameters.get(0).get("text").asString()).isEqualTo("Maria");
        assertThat(parameters.get(1).get("text").asString()).isEqualTo("4521");
        assertThat(payload.has("text")).isFalse();
    }

    @Test
    void twilioContentTemplatesAreListedFromTheContentApiAndSentWithContentSidAndVariables() {
        var tenant = tenants.create("Templates Twilio");
        AiFixtures.twilioAccepts(fake);
        fake.stubFor(get(urlPathEqualTo("/v1/ContentAndApprovals")).withBasicAuth(Channels.twilioSid(tenant), Channels.TWILIO_TOKEN)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"contents":[
                          {"sid":"HX1234567890abcdef1234567890abcdef","friendly_name":"lembrete_pagamento","language":"pt_BR",
                           "account_sid":"%s","variables":{"1":"Maria"},"types":{"twilio/text":{"body":"Oi {{1}}, seu boleto vence amanhã."}},
                           "approval_requests":{"name":"lembrete_pagamento","category":"UTILITY","content_type":"twilio/text",
                                                "status":"approved","rejection_reason":"","allow_category_change":true}},
                          {"sid":"HX00000000000000000000000000000000","friendly_name":"rascunho","language":"pt_BR",
                           "types":{"twilio/text":{"body":"rascunho"}},"approval_requests":{"status":"unsubmitted"}}],
                         "meta":{"page":0,"page_size":100,"key":"contents","next_page_url":null}}""".formatted(Channels.twilioSid(tenant)))));
        UUID account = channels.twilioAccount(tenant, null);
        channels.twilioMessage(account, "SM" + UUID.randomUUID().toString().replace("-", ""), "+5511987650002", "oi");
        UUID conversation = UUID.fromString(api.get("/api/v1/conversations", tenant.agentToken()).json().get("items").get(0)
                .get("id").asString());

        JsonNode listed = api.get("/api/v1/channel_accounts/" + account + "/templates", tenant.agentToken()).json().get("items");
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).get("content_sid").asString()).isEqualTo("HX1234567890abcdef1234567890abcdef");

        assertThat(api.post("/api/v1/conversations/" + conversation + "/send_template", tenant.adminToken(),
                Map.of("name", "lembrete_pagamento", "variables", List.of("Maria"))).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(15)).until(() -> !AiFixtures.twilioRequests(fake, Channels.twilioSid(tenant)).isEmpty());
        var request = AiFixtures.twilioRequests(fake, Channels.twilioSid(tenant)).get(0);
        assertThat(AiFixtures.formField(request, "ContentSid")).isEqualTo("HX1234567890abcdef1234567890abcdef");
        assertThat(json.readTree(AiFixtures.formField(request, "ContentVariables")).get("1").asString()).isEqualTo("Maria");
        assertThat(AiFixtures.formField(request, "Body")).isNull();
    }
}
