package io.switchboard.crm;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.switchboard.support.AiFixtures.COMPLETIONS;
import static io.switchboard.support.AiFixtures.answer;
import static io.switchboard.support.AiFixtures.completionRequests;
import static io.switchboard.support.AiFixtures.twilioBodies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
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

/**
 * Nobody links the contact to its lead by hand: the CRM guard finds the lead through Kommo's contact search by the
 * customer's phone, links it, and the lead's human-handoff stage silences the AI before any LLM call.
 */
@IntegrationTest
class KommoLeadByPhoneTest {

    static final long HANDOFF_STAGE = 61420001L;

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    WireMockServer fake;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Oi! Sou a Lia.", 50, 0, 10)));
    }

    @Test
    void aLeadFoundByPhoneInItsHandoffStageSilencesTheAiWithoutAnyManualLink() {
        var setup = fixtures.create("Kommo By Phone", Map.of("context_timer_seconds", 0, "response_delay_min", 0,
                "response_delay_max", 0), List.of(), true);
        assertThat(api.put("/api/v1/crm/kommo", setup.tenant().adminToken(), Map.of("base_url", ProviderFakes.baseUrl(),
                "token", "kommo-token-by-phone", "handoff_stage_id", HANDOFF_STAGE)).status()).isEqualTo(200);
        // Kommo's contact search, as v4 answers it: the contact with its leads embedded
        fake.stubFor(get(urlPathEqualTo("/api/v4/contacts")).withQueryParam("query", equalTo("5511970000001"))
                .willReturn(okJson("""
                        {"_page":1,"_links":{"self":{"href":"https://acme.kommo.com/api/v4/contacts?query=5511970000001"}},
                         "_embedded":{"contacts":[{"id":7001,"name":"Maria Silva","first_name":"Maria","last_name":"Silva",
                           "responsible_user_id":504141,"updated_at":1717000000,"custom_fields_values":[{"field_code":"PHONE",
                           "values":[{"value":"+55 11 97000-0001","enum_code":"WORK"}]}],
                           "_embedded":{"tags":[],"leads":[{"id":9101,"_links":{"self":{"href":"..."}}},{"id":9105}]}}]}}""")));
        fake.stubFor(get(urlEqualTo("/api/v4/leads/9105")).willReturn(okJson("""
                {"id":9105,"name":"Contrato anual","price":1200,"responsible_user_id":504141,"status_id":%d,
                 "pipeline_id":7710001,"updated_at":1717000000,"is_deleted":false,"_embedded":{"tags":[]}}""".formatted(HANDOFF_STAGE))));

        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), "+5511970000001",
                "Oi, e o contrato?");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode items = api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items");
            return items.size() == 1 && items.get(0).get("ai_disabled").asBoolean();
        });
        JsonNode conversation = api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items").get(0);
        assertThat(conversation.get("ai_disabled_reason").asString()).contains("CRM");
        JsonNode contact = api.get("/api/v1/contacts/" + conversation.get("contact").get("id").asString(),
                setup.tenant().agentToken()).json();
        assertThat(contact.get("crm_lead_id").asLong()).isEqualTo(9105L);
        assertThat(completionRequests(fake, setup)).isEmpty();
        assertThat(twilioBodies(fake, setup)).isEmpty();
        assertThat(fake.findAll(getRequestedFor(urlPathEqualTo("/api/v4/contacts"))))
                .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer kommo-token-by-phone"));
    }

    @Test
    void aPhoneKommoDoesNotKnowLeavesTheAiAnswering() {
        var setup = fixtures.create("Kommo No Lead", Map.of("context_timer_seconds", 0, "response_delay_min", 0,
                "response_delay_max", 0), List.of(), true);
        api.put("/api/v1/crm/kommo", setup.tenant().adminToken(), Map.of("base_url", ProviderFakes.baseUrl(),
                "token", "kommo-token-none", "handoff_stage_id", HANDOFF_STAGE));
        fake.stubFor(get(urlPathEqualTo("/api/v4/contacts")).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                .withStatus(204)));
        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), "+5511970000002", "Oi");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Oi! Sou a Lia."));
        assertThat(fake.findAll(getRequestedFor(urlPathEqualTo("/api/v4/contacts")))).hasSize(1);
    }

    @Test
    void aContactWhosePhoneKommoDoesNotKnowIsFoundByTheEmailAPersonAddedToIt() {
        var setup = fixtures.create("Kommo By Email", Map.of("context_timer_seconds", 0, "response_delay_min", 0,
                "response_delay_max", 0), List.of(), true);
        api.put("/api/v1/crm/kommo", setup.tenant().adminToken(), Map.of("base_url", ProviderFakes.baseUrl(),
                "token", "kommo-token-email", "handoff_stage_id", HANDOFF_STAGE));
        fake.stubFor(get(urlPathEqualTo("/api/v4/contacts")).withQueryParam("query", equalTo("5511970000003"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(204)));
        fake.stubFor(get(urlPathEqualTo("/api/v4/contacts")).withQueryParam("query", equalTo("maria@example.com"))
                .willReturn(okJson("""
                        {"_page":1,"_embedded":{"contacts":[{"id":7003,"name":"Maria","_embedded":{"leads":[{"id":9201}]}}]}}""")));
        fake.stubFor(get(urlEqualTo("/api/v4/leads/9201")).willReturn(okJson("""
                {"id":9201,"name":"Renovação","status_id":%d,"pipeline_id":7710001,"is_deleted":false}""".formatted(HANDOFF_STAGE))));

        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), "+5511970000003", "Oi");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Oi! Sou a Lia."));
        JsonNode conversation = api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items").get(0);
        String contactId = conversation.get("contact").get("id").asString();
        assertThat(api.patch("/api/v1/contacts/" + contactId, setup.tenant().agentToken(), Map.of("email", "Maria@Example.com"))
                .status()).isEqualTo(200);

        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), "+5511970000003",
                "E a renovação?");
        await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/contacts/" + contactId, setup.tenant().agentToken())
                .json().get("crm_lead_id").asLong(0) == 9201L);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> completionRequests(fake, setup).size() == 1);
        assertThat(twilioBodies(fake, setup)).containsExactly("Oi! Sou a Lia.");
    }
}
