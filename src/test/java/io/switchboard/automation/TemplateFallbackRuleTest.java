package io.switchboard.automation;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Funnels;
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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A rule's {@code send_message} on WhatsApp after the customer's 24-hour window closed: the approved template it
 * names is sent instead (the fake Graph API receives a template message with the rendered variables); a rule with
 * no template says in its run log why nothing was sent.
 */
@IntegrationTest
class TemplateFallbackRuleTest {

    @Autowired
    Tenants tenants;

    @Autowired
    io.switchboard.support.AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Funnels funnels;

    @Autowired
    Conversations conversations;

    @Autowired
    JsonMapper json;

    @Test
    void outsideTheWindowTheRuleSendsItsTemplateAndWithoutOneItLogsWhy() {
        WireMockServer fake = ProviderFakes.fresh();
        fake.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(AiFixtures.COMPLETIONS))
                .willReturn(AiFixtures.answer("Já verifico seu pedido.", 100, 0, 20)));
        // an AI agent owns the customer's conversation (automatic speech needs one); it answered two days ago
        var setup = fixtures.create("Template Rules", AutomationRulesTest.quickAgent(false), List.of(), true);
        Tenants.Tenant tenant = setup.tenant();
        UUID account = TemplateFakes.metaAccountWithTemplates(channels, fake, tenant, setup.agentId());
        var toMeta = postRequestedFor(urlPathMatching(Channels.metaMessagesPathPattern(Channels.metaPhoneNumberId(tenant))));
        UUID conversation = TemplateFakes.conversationTwoDaysOld(channels, api, jdbc, tenant, account);
        await().atMost(Duration.ofSeconds(20)).until(() -> !templateSends(fake, toMeta).isEmpty() || !fake.findAll(toMeta).isEmpty());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/conversations/"
                + conversation + "/messages", tenant.agentToken()).body().contains("Já verifico"));
        TenantScope.run(tenant.id(), () -> jdbc.sql("update conversations set last_customer_message_at = now() - interval '2 days' where id = ?")
                .param(conversation).update());
        TenantScope.run(tenant.id(), () -> funnels.createDefault("Vendas", List.of("Novo", "Retomar"), 2));
        var withTemplate = api.post("/api/v1/automations", tenant.adminToken(), Map.of("name", "Retomar com modelo",
                "event", "stage_changed", "actions", List.of(Map.of("type", "send_message",
                        "value", "Oi {{contact.name}}, podemos retomar seu pedido?",
                        "template", Map.of("name", "pedido_enviado", "language", "pt_BR",
                                "variables", List.of("{{contact.name}}", "4521"))))));
        assertThat(withTemplate.status()).as(withTemplate.body()).isEqualTo(201);
        var withoutTemplate = api.post("/api/v1/automations", tenant.adminToken(), Map.of("name", "Retomar só com texto",
                "event", "stage_changed", "actions", List.of(Map.of("type", "send_message", "value", "Oi de novo!"))));
        assertThat(withoutTemplate.status()).as(withoutTemplate.body()).isEqualTo(201);

        TenantScope.run(tenant.id(), () -> conversations.moveToStage(conversation, "Retomar"));

        await().atMost(Duration.ofSeconds(20)).until(() -> !templateSends(fake, toMeta).isEmpty());
        JsonNode payload = templateSends(fake, toMeta).get(0);
        assertThat(payload.get("type").asString()).isEqualTo("template");
        assertThat(payload.get("template").get("name").asString()).isEqualTo("pedido_enviado");
        JsonNode parameters = payload.get("template").get("components").get(0).get("parameters");
        assertThat(parameters.get(0).get("text").asString()).isEqualTo("Maria Souza");
        assertThat(parameters.get(1).get("text").asString()).isEqualTo("4521");

        await().atMost(Duration.ofSeconds(10)).until(() -> runs(tenant).size() == 2);
        JsonNode failed = runs(tenant).stream().filter(r -> r.get("name").asString().equals("Retomar só com texto")).findFirst()
                .orElseThrow();
        assertThat(failed.get("error").asString()).contains("24-hour WhatsApp window is closed");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> templateSends(fake, toMeta).size() == 1);
        assertThat(fake.findAll(toMeta)).as("the AI's answer two days ago and the template; no free text after the window")
                .hasSize(2);
    }

    private List<JsonNode> templateSends(WireMockServer fake, com.github.tomakehurst.wiremock.matching.RequestPatternBuilder toMeta) {
        return fake.findAll(toMeta).stream().map(r -> json.readTree(r.getBodyAsString()))
                .filter(p -> "template".equals(p.path("type").asString())).toList();
    }

    private List<JsonNode> runs(Tenants.Tenant tenant) {
        JsonNode items = api.get("/api/v1/automation_runs?matched_only=true", tenant.adminToken()).json().get("items");
        List<JsonNode> out = new java.util.ArrayList<>();
        items.forEach(out::add);
        // a run's outcome is written when it finishes: an error, or the actions done
        return out.stream().filter(r -> !r.path("error").isNull() || !r.path("actions_done").asString().equals("[]")).toList();
    }
}
