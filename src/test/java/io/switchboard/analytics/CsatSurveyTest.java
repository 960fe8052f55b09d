package io.switchboard.analytics;

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
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The satisfaction survey on WhatsApp, end to end: sent on close, answered with a digit, counted for the AI agent. */
@IntegrationTest
class CsatSurveyTest {

    @Autowired
    AiFixtures fixtures;
    @Autowired
    Channels channels;
    @Autowired
    ApiClient api;

    @Test
    void aClosedConversationIsSurveyedAndTheCustomersScoreIsStoredWithoutWakingTheAi() {
        WireMockServer fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Seu pedido sai hoje.", 1000, 200, 500)));
        var setup = fixtures.create("Csat", Map.of("context_timer_seconds", 1, "response_delay_min", 0,
                "response_delay_max", 0), List.of(), true);
        String admin = setup.tenant().adminToken();
        assertThat(api.put("/api/v1/reports/settings", admin, Map.of("csat_enabled", true, "csat_scale", "numeric"))
                .json().get("csat_enabled").asBoolean()).isTrue();

        channels.twilioMessage(setup.accountId(), sid(), "+5511930000001", "Onde está meu pedido?");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Seu pedido sai hoje."));
        UUID conversation = UUID.fromString(api.get("/api/v1/conversations", admin).json().get("items").get(0).get("id").asString());
        assertThat(api.post("/api/v1/conversations/" + conversation + "/close", admin, Map.of()).status()).isEqualTo(200);

        String survey = "Como você avalia este atendimento? Responda com um número de 1 (péssimo) a 5 (ótimo).";
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains(survey));

        channels.twilioMessage(setup.accountId(), sid(), "+5511930000001", "5");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Obrigado pela sua avaliação!"));
        assertThat(api.get("/api/v1/conversations/" + conversation, admin).json().get("status").asString()).isEqualTo("closed");

        // past the AI's context timer: the "5" never reached the model, and closing again sent no second survey
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> completionRequests(fake, setup).size() == 1);
        assertThat(twilioBodies(fake, setup).stream().filter(survey::equals)).hasSize(1);

        assertThat(api.post("/api/v1/reports/refresh", admin, Map.of()).status()).isEqualTo(200);
        JsonNode satisfaction = api.get("/api/v1/reports/satisfaction", admin).json().get("items");
        assertThat(satisfaction).hasSize(1);
        assertThat(satisfaction.get(0).get("handler_type").asString()).isEqualTo("ai_agent");
        assertThat(satisfaction.get(0).get("handler_id").asString()).isEqualTo(setup.agentId().toString());
        assertThat(satisfaction.get(0).get("score5").asLong()).isEqualTo(1);

        // the survey's answer is not a customer message the AI's resolution is judged on
        JsonNode agents = api.get("/api/v1/reports/agents", admin).json().get("items");
        assertThat(agents.get(0).get("handled").asLong()).isEqualTo(1);
        assertThat(agents.get(0).get("reversed").asLong()).isZero();
    }

    @Test
    void onlyAMessageThatIsAScoreAnswersTheSurvey() {
        assertThat(CsatSurveys.score("5")).hasValue(5);
        assertThat(CsatSurveys.score(" nota 4! ")).hasValue(4);
        assertThat(CsatSurveys.score("3/5")).hasValue(3);
        assertThat(CsatSurveys.score("😡")).hasValue(1);
        assertThat(CsatSurveys.score("😍😍")).hasValue(5);
        assertThat(CsatSurveys.score("Tenho 2 pedidos")).isEmpty();
        assertThat(CsatSurveys.score("6")).isEmpty();
        assertThat(CsatSurveys.score("quero falar com alguém 🙂 agora mesmo")).isEmpty();
    }

    private static String sid() {
        return "SM" + UUID.randomUUID().toString().replace("-", "");
    }
}
