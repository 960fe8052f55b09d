package io.switchboard.ai.turn;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The CRM decides who handles a lead: the AI stays silent while the lead is with a salesperson. */
@IntegrationTest
class CrmTurnTest {

    static final long HANDOFF_STAGE = 555001;
    static final long AI_STAGE = 555000;

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
    void aLeadWithASalespersonGetsNoAiAnswerUntilTheCrmMovesItBack() {
        var setup = fixtures.create("Kommo Turn", Map.of("context_timer_seconds", 1, "response_delay_min", 0,
                "response_delay_max", 0), List.of(), true);
        var connected = api.put("/api/v1/crm/kommo", setup.tenant().adminToken(), Map.of("base_url", ProviderFakes.baseUrl(),
                "token", "kommo-long-lived-token", "handoff_stage_id", HANDOFF_STAGE));
        assertThat(connected.status()).isEqualTo(200);
        String webhook = connected.json().get("webhook_url").asString();
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511940000001", "Oi");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).size() == 1);

        var conversation = api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items").get(0);
        String contactId = conversation.get("contact").get("id").asString();
        String conversationId = conversation.get("id").asString();
        fake.stubFor(get(urlEqualTo("/api/v4/leads/9001")).willReturn(lead(HANDOFF_STAGE)));
        assertThat(api.put("/api/v1/contacts/" + contactId + "/crm_lead", setup.tenant().agentToken(), Map.of("lead_id", 9001))
                .status()).isEqualTo(200);

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511940000001", "Fechamos o contrato?");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> completionRequests(fake, setup).size() == 1);
        var paused = api.get("/api/v1/conversations/" + conversationId, setup.tenant().agentToken()).json();
        assertThat(paused.get("ai_disabled").asBoolean()).isTrue();
        assertThat(paused.get("ai_disabled_reason").asString()).contains("CRM");
        assertThat(twilioBodies(fake, setup)).hasSize(1);

        // the salesperson hands the lead back to the AI stage in Kommo
        fake.stubFor(get(urlEqualTo("/api/v4/leads/9001")).willReturn(lead(AI_STAGE)));
        String path = webhook.substring(webhook.indexOf("/webhooks/"));
        var hook = api.postForm(path, "leads%5Bstatus%5D%5B0%5D%5Bid%5D=9001&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=" + AI_STAGE
                + "&leads%5Bstatus%5D%5B0%5D%5Bold_status_id%5D=" + HANDOFF_STAGE + "&account%5Bsubdomain%5D=acme", Map.of());
        assertThat(hook.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !api.get("/api/v1/conversations/" + conversationId,
                setup.tenant().agentToken()).json().get("ai_disabled").asBoolean());

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511940000001", "E a entrega?");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).size() == 2);
        assertThat(completionRequests(fake, setup)).hasSize(2);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder lead(long stage) {
        return okJson("""
                {"id":9001,"name":"Contrato anual","price":1200,"responsible_user_id":504141,"group_id":0,
                 "status_id":%d,"pipeline_id":7710001,"updated_at":1717000000,"is_deleted":false,
                 "custom_fields_values":null,"_embedded":{"tags":[]}}""".formatted(stage));
    }
}
