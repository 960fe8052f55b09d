package io.switchboard.ai.turn;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@IntegrationTest
class AiTurnTest {

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

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
    }

    @Test
    void theModelCallsAToolGetsItsResultBackAndTheFinalAnswerReachesTheCustomerWithTokensAndCostRecorded() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("tool").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(toolCalls(List.<String[]>of(new String[] {"call_abc123", "adicionar_tag", "{\"tag\":\"pedido-123\"}"}),
                        1000, 200, 500))
                .willSetStateTo("answered"));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("tool").whenScenarioStateIs("answered")
                .willReturn(answer("Seu pedido 123 está em separação e sai amanhã.", 1000, 200, 500)));
        var setup = fixtures.create("Tool Turn", FAST, List.of("adicionar_tag"), true);

        channels.twilioMessage(setup.accountId(), sid(), "+5511970000001", "status do pedido 123?");

        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Seu pedido 123 está em separação e sai amanhã."));
        var requests = completionRequests(fake, setup);
        assertThat(requests).hasSize(2);
        JsonNode first = json.readTree(requests.get(0).getBodyAsString());
        assertThat(first.get("tools").toString()).contains("adicionar_tag");
        assertThat(first.get("messages").toString()).contains("status do pedido 123?");
        JsonNode second = json.readTree(requests.get(1).getBodyAsString());
        JsonNode toolMessage = null;
        for (JsonNode m : second.get("messages")) {
            if ("tool".equals(m.get("role").asString())) {
                toolMessage = m;
            }
        }
        assertThat(toolMessage).as("the tool result goes back to the model").isNotNull();
        assertThat(toolMessage.get("tool_call_id").asString()).isEqualTo("call_abc123");

        String conversationId = conversationId(setup);
        JsonNode conversation = api.get("/api/v1/conversations/" + conversationId, setup.tenant().agentToken()).json();
        assertThat(conversation.get("tags").toString()).contains("pedido-123");
        JsonNode ai = api.get("/api/v1/conversations/" + conversationId + "/ai", setup.tenant().agentToken()).json().get(0);
        assertThat(ai.get("tokens_prompt").asLong()).isEqualTo(2000);
        assertThat(ai.get("tokens_completion").asLong()).isEqualTo(1000);
        assertThat(ai.get("tokens_used").asLong()).isEqualTo(3000);
        // gpt-4o-mini: (800 × 0.15 + 200 × 0.075 + 500 × 0.60) / 1M = 0.000435 per call, two calls
        assertThat(new BigDecimal(ai.get("cost").asString())).isEqualByComparingTo("0.000870");
        assertThat(ai.get("tools_used").get(0).get("tool").asString()).isEqualTo("adicionar_tag");
        assertThat(ai.get("tools_used").get(0).get("success").asBoolean()).isTrue();
        assertThat(ai.get("status").asString()).isEqualTo("active");
    }

    @Test
    void anAgentThatPrefersToolsMakesTheModelUseOneInTheFirstRoundOnly() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("prefer").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(toolCalls(List.<String[]>of(new String[] {"call_pref", "adicionar_tag", "{\"tag\":\"frete\"}"}),
                        100, 0, 10))
                .willSetStateTo("tagged"));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("prefer").whenScenarioStateIs("tagged")
                .willReturn(answer("O frete é grátis acima de R$ 200.", 100, 0, 10)));
        var settings = new java.util.HashMap<String, Object>(FAST);
        settings.put("prefer_tools", true);
        var setup = fixtures.create("Prefers Tools", settings, List.of("adicionar_tag"), true);

        channels.twilioMessage(setup.accountId(), sid(), "+5511970000021", "quanto é o frete?");

        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake).contains("O frete é grátis acima de R$ 200."));
        var requests = completionRequests(fake);
        assertThat(requests).hasSize(2);
        assertThat(json.readTree(requests.get(0).getBodyAsString()).get("tool_choice").asString()).isEqualTo("required");
        // after a tool ran the model must be free to answer
        assertThat(json.readTree(requests.get(1).getBodyAsString()).get("tool_choice").asString()).isEqualTo("auto");
    }

    @Test
    void threeMessagesWithinTheContextTimerGetOneAnswerThatConsidersAllOfThem() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Entendi tudo: tamanho M, azul, entrega em SP.", 300, 0, 40)));
        var setup = fixtures.create("Debounce", Map.of("context_timer_seconds", 2, "response_delay_min", 0,
                "response_delay_max", 0), List.of(), true);

        channels.twilioMessage(setup.accountId(), sid(), "+5511970000002", "Quero a camiseta");
        channels.twilioMessage(setup.accountId(), sid(), "+5511970000002", "tamanho M, azul");
        channels.twilioMessage(setup.accountId(), sid(), "+5511970000002", "entrega em São Paulo");

        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> completionRequests(fake, setup).size() == 1);
        String body = completionRequests(fake, setup).get(0).getBodyAsString();
        assertThat(body).contains("Quero a camiseta").contains("tamanho M, azul").contains("entrega em São Paulo");
        assertThat(twilioBodies(fake, setup)).hasSize(1);
    }

    @Test
    void invalidToolArgumentsGoBackToTheModelAsAnErrorAndTheCustomerStillGetsAnAnswer() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("bad-args").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(toolCalls(List.<String[]>of(new String[] {"call_bad", "adicionar_tag", "{\"etiqueta\": 12"}), 200, 0, 20))
                .willSetStateTo("told"));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("bad-args").whenScenarioStateIs("told")
                .willReturn(answer("Certo, já anotei seu pedido.", 250, 0, 20)));
        var setup = fixtures.create("Bad Args", FAST, List.of("adicionar_tag"), true);

        channels.twilioMessage(setup.accountId(), sid(), "+5511970000003", "Anota aí: urgente");

        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Certo, já anotei seu pedido."));
        String second = completionRequests(fake, setup).get(1).getBodyAsString();
        assertThat(second).contains("call_bad").containsIgnoringCase("not valid JSON");
        JsonNode ai = api.get("/api/v1/conversations/" + conversationId(setup) + "/ai", setup.tenant().agentToken()).json().get(0);
        assertThat(ai.get("tools_used").get(0).get("success").asBoolean()).isFalse();
    }

    @Test
    void aModelThatNeverStopsCallingToolsIsCutOffAtMaxToolRoundsAndTheCustomerIsHandedToAPerson() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(
                toolCalls(List.<String[]>of(new String[] {"call_loop", "adicionar_tag", "{\"tag\":\"loop\"}"}), 100, 0, 10)));
        var setup = fixtures.create("Tool Loop", Map.of("context_timer_seconds", 1, "response_delay_min", 0,
                "response_delay_max", 0, "max_tool_rounds", 2), List.of("adicionar_tag"), true);

        channels.twilioMessage(setup.accountId(), sid(), "+5511970000004", "Oi");

        await().atMost(Duration.ofSeconds(20)).until(() -> !twilioBodies(fake, setup).isEmpty());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> completionRequests(fake, setup).size() == 3);
        JsonNode conversation = api.get("/api/v1/conversations/" + conversationId(setup), setup.tenant().agentToken()).json();
        assertThat(conversation.get("status").asString()).isEqualTo("waiting");
        assertThat(conversation.get("requires_human_attention").asBoolean()).isTrue();
        assertThat(twilioBodies(fake, setup).get(0)).containsIgnoringCase("transferir");
    }

    @Test
    void withoutAnyLlmKeyTheOfflineResponderAnswersAKnownQuestionFromTheFaq() {
        var setup = fixtures.create("Offline FAQ", Map.of("context_timer_seconds", 1, "response_delay_min", 0,
                "response_delay_max", 0, "faq", List.of(
                        Map.of("question", "What are your opening hours?", "answer", "We are open 9am to 6pm, Monday to Friday."),
                        Map.of("question", "How much is shipping?", "answer", "Shipping is free above R$ 199."))), List.of(), false);

        channels.twilioMessage(setup.accountId(), sid(), "+5511970000005", "what time do you open?");

        await().atMost(Duration.ofSeconds(30)).until(() -> twilioBodies(fake, setup).contains("We are open 9am to 6pm, Monday to Friday."));
        assertThat(completionRequests(fake, setup)).isEmpty();
    }

    @Test
    void withoutAnyLlmKeyAnUnknownQuestionIsHandedToAPersonInsteadOfGuessed() {
        var setup = fixtures.create("Offline Unknown", Map.of("context_timer_seconds", 1, "response_delay_min", 0,
                "response_delay_max", 0, "faq", List.of(
                        Map.of("question", "What are your opening hours?", "answer", "We are open 9am to 6pm."))), List.of(), false);

        channels.twilioMessage(setup.accountId(), sid(), "+5511970000006", "Can you fix the engine of my boat?");

        await().atMost(Duration.ofSeconds(30)).until(() -> !twilioBodies(fake, setup).isEmpty());
        assertThat(twilioBodies(fake, setup).get(0)).doesNotContain("9am");
        JsonNode conversation = api.get("/api/v1/conversations/" + conversationId(setup), setup.tenant().agentToken()).json();
        assertThat(conversation.get("status").asString()).isEqualTo("waiting");
        assertThat(conversation.get("ai_disabled").asBoolean()).isTrue();
    }

    @Test
    void theSameMessageDeliveredFiveTimesConcurrentlyIsAnsweredOnce() throws Exception {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Uma resposta só.", 50, 0, 10)));
        var setup = fixtures.create("Once", FAST, List.of(), true);
        String sid = sid();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(5);
        try {
            List<java.util.concurrent.Callable<Integer>> retries = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                retries.add(() -> channels.twilioMessage(setup.accountId(), sid, "+5511970000007", "Oi, tudo bem?").status());
            }
            for (var status : pool.invokeAll(retries)) {
                assertThat(status.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).size() == 1);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> twilioBodies(fake, setup).size() == 1);
        assertThat(completionRequests(fake, setup)).hasSize(1);
    }

    private String conversationId(AiFixtures.AiSetup setup) {
        return api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items").get(0).get("id").asString();
    }

    static String sid() {
        return "SM" + UUID.randomUUID().toString().replace("-", "");
    }
}
