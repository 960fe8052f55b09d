package io.switchboard.ai.turn;

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
import tools.jackson.databind.JsonNode;

/** Request and cost limits refuse the LLM call with a reason and hand the customer to a person. */
@IntegrationTest
class AgentLimitsTest {

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
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Claro, posso ajudar.", 1000, 200, 500)));
    }

    @Test
    void aRequestLimitRefusesTheNextCallSaysWhenItFreesUpAndHandsOver() {
        var setup = fixtures.create("Rate Limit", Map.of("context_timer_seconds", 1, "response_delay_min", 0,
                "response_delay_max", 0, "rate_limits", Map.of("requests_per_minute", 1)), List.of(), true);

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511920000001", "Oi");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Claro, posso ajudar."));
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511920000002", "Olá");

        JsonNode refused = awaitHandedOver(setup, "+5511920000002");
        assertThat(refused.get("ai_disabled_reason").asString()).containsPattern("limit of 1 requests per minute reached, wait \\d+ s");
        assertThat(completionRequests(fake, setup)).hasSize(1);
    }

    @Test
    void aDailyCostLimitRefusesFurtherCallsOnceSpent() {
        var setup = fixtures.create("Cost Limit", Map.of("context_timer_seconds", 1, "response_delay_min", 0,
                "response_delay_max", 0, "cost_limits", Map.of("daily_limit_usd", 0.0001)), List.of(), true);

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511920000003", "Oi");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Claro, posso ajudar."));
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511920000004", "Olá");

        JsonNode refused = awaitHandedOver(setup, "+5511920000004");
        assertThat(refused.get("ai_disabled_reason").asString()).contains("cost limit of US$ 0.0001 per day reached")
                .contains("0.000435");
        assertThat(completionRequests(fake, setup)).hasSize(1);
    }

    @Test
    void aNewConversationBeyondTheAgentsConversationLimitGoesToAPersonAtOnce() {
        var setup = fixtures.create("Capacity", Map.of("context_timer_seconds", 1, "response_delay_min", 0,
                "response_delay_max", 0), List.of(), true);
        assertThat(api.patch("/api/v1/ai_agents/" + setup.agentId(), setup.tenant().adminToken(), Map.of("max_conversations", 1))
                .status()).isEqualTo(200);

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511920000005", "Oi");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Claro, posso ajudar."));
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511920000006", "Olá");

        JsonNode full = awaitHandedOver(setup, "+5511920000006");
        assertThat(full.get("ai_disabled_reason").asString()).contains("limit of 1 conversations");
        await().atMost(Duration.ofSeconds(10)).until(() -> twilioBodies(fake, setup).size() == 2);
        assertThat(twilioBodies(fake, setup).get(1)).contains("transferir");
        assertThat(completionRequests(fake, setup)).hasSize(1);
        JsonNode agent = api.get("/api/v1/ai_agents/" + setup.agentId(), setup.tenant().agentToken()).json();
        assertThat(agent.get("current_conversations").asInt()).isEqualTo(1);
    }

    private JsonNode awaitHandedOver(AiFixtures.AiSetup setup, String phone) {
        await().atMost(Duration.ofSeconds(20)).until(() -> conversationOf(setup, phone) != null
                && "waiting".equals(conversationOf(setup, phone).get("status").asString()));
        return conversationOf(setup, phone);
    }

    private JsonNode conversationOf(AiFixtures.AiSetup setup, String phone) {
        for (JsonNode c : api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items")) {
            if (phone.equals(c.get("contact").get("phone").asString())) {
                return c;
            }
        }
        return null;
    }
}
