package io.switchboard.ai.turn;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.switchboard.support.AiFixtures.COMPLETIONS;
import static io.switchboard.support.AiFixtures.answer;
import static io.switchboard.support.AiFixtures.completionRequests;
import static io.switchboard.support.AiFixtures.error;
import static io.switchboard.support.AiFixtures.toolCalls;
import static io.switchboard.support.AiFixtures.twilioBodies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.switchboard.conversation.Conversations;
import io.switchboard.database.TenantScope;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Every way an LLM turn can fail ends with the customer told and a person in charge — never silence. */
@IntegrationTest
class FailureFallbackTest {

    static final String FALLBACK_PT = "Desculpe, tive um problema para responder agora";

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Autowired
    Conversations conversations;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    WireMockServer fake;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
    }

    @Test
    void aModelThatHangsPastTheTurnTimeoutGivesTheFallbackAndTheHumanQueue() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("tarde demais", 10, 0, 5).withFixedDelay(8000)));
        var setup = fixtures.create("Hang", settings(Map.of("turn_timeout_seconds", 2)), List.of(), true);

        Instant sent = Instant.now();
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000001", "Oi, tudo bem?");

        JsonNode conversation = awaitFallback(setup);
        assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(8));
        assertThat(conversation.get("ai_disabled_reason").asString()).containsIgnoringCase("tim");
        assertThat(conversation.get("origin").get("queue_tab").asString()).isEqualTo("SUPPORT");
        assertThat(Instant.parse(conversation.get("ai_disabled_until").asString())).isAfter(Instant.now().plus(Duration.ofHours(23)));
        assertThat(twilioBodies(fake)).noneMatch(b -> b.contains("tarde demais"));
    }

    @Test
    void aServerErrorThenSuccessIsAnsweredWithoutFallback() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("500").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(error(500, "server_error", null, "The server had an error")).willSetStateTo("ok"));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("500").whenScenarioStateIs("ok")
                .willReturn(answer("Claro! Posso ajudar.", 50, 0, 10)));
        var setup = fixtures.create("Flaky 500", settings(Map.of()), List.of(), true);

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000002", "Oi");

        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake).contains("Claro! Posso ajudar."));
        assertThat(completionRequests(fake)).hasSize(2);
        assertThat(twilioBodies(fake)).noneMatch(b -> b.contains(FALLBACK_PT));
        assertThat(conversation(setup).get("ai_disabled").asBoolean()).isFalse();
    }

    @Test
    void aRateLimitWithRetryAfterIsWaitedOutAndThenAnswered() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(error(429, "requests", "rate_limit_exceeded", "Rate limit reached").withHeader("Retry-After", "1"))
                .willSetStateTo("ok"));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("429").whenScenarioStateIs("ok")
                .willReturn(answer("Pronto, aqui está.", 50, 0, 10)));
        var setup = fixtures.create("Rate Limited", settings(Map.of()), List.of(), true);

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000003", "Oi");

        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake).contains("Pronto, aqui está."));
        var requests = completionRequests(fake);
        assertThat(requests).hasSize(2);
        assertThat(Duration.between(requests.get(0).getLoggedDate().toInstant(), requests.get(1).getLoggedDate().toInstant()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void anExhaustedQuotaIsNotRetriedAndFallsBackAtOnce() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(error(429, "insufficient_quota", "insufficient_quota",
                "You exceeded your current quota, please check your plan and billing details.")));
        var setup = fixtures.create("Quota", settings(Map.of()), List.of(), true);

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000004", "Oi");

        JsonNode conversation = awaitFallback(setup);
        assertThat(completionRequests(fake)).hasSize(1);
        assertThat(conversation.get("ai_disabled_reason").asString()).containsIgnoringCase("credit");
    }

    @Test
    void anInvalidKeyIsNotRetriedAndFallsBack() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(error(401, "invalid_request_error", "invalid_api_key",
                "Incorrect API key provided.")));
        var setup = fixtures.create("Bad Key", settings(Map.of()), List.of(), true);

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000005", "Oi");

        JsonNode conversation = awaitFallback(setup);
        assertThat(completionRequests(fake)).hasSize(1);
        assertThat(conversation.get("ai_disabled_reason").asString()).containsIgnoringCase("key");
    }

    @Test
    void anEmptyAnswerFallsBack() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("   ", 50, 0, 0)));
        var setup = fixtures.create("Empty", settings(Map.of()), List.of(), true);

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000006", "Oi");

        awaitFallback(setup);
        JsonNode messages = api.get("/api/v1/conversations/" + conversationId(setup) + "/messages", setup.tenant().agentToken()).json().get("items");
        JsonNode fallback = messages.get(messages.size() - 1);
        assertThat(fallback.get("sender_type").asString()).isEqualTo("system");
        assertThat(fallback.get("metadata").get("is_error_fallback").asBoolean()).isTrue();
        assertThat(fallback.get("metadata").get("reason").asString()).isEqualTo("empty_answer");
    }

    @Test
    void malformedToolArgumentsThreeTimesFallBack() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(
                toolCalls(List.<String[]>of(new String[] {"call_x", "adicionar_tag", "{tag: sem aspas"}), 50, 0, 10)));
        var setup = fixtures.create("Bad Tools", settings(Map.of()), List.of("adicionar_tag"), true);

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000007", "Oi");

        JsonNode conversation = awaitFallback(setup);
        assertThat(completionRequests(fake)).hasSize(3);
        assertThat(conversation.get("ai_disabled_reason").asString()).contains("3");
    }

    @Test
    void anAnswerHeldByTheModelWhileAPersonTakesOverIsDiscardedNotSent() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Resposta atrasada da IA", 50, 0, 10).withFixedDelay(3000)));
        var setup = fixtures.create("Race Human", settings(Map.of()), List.of(), true);
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000008", "Oi, alguém aí?");
        await().atMost(Duration.ofSeconds(10)).until(() -> completionRequests(fake).size() == 1);

        String id = conversationId(setup);
        var reply = api.post("/api/v1/conversations/" + id + "/messages", setup.tenant().agentToken(), Map.of("content", "Oi! Aqui é o Bruno."));
        assertThat(reply.status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(10)).until(() -> events(setup, id).toString().contains("ai_answer_discarded"));
        // once the turn's job is gone nothing of the AI can still be stored; what is not stored is never sent
        await().atMost(Duration.ofSeconds(10)).until(() -> turnFinished(id));
        assertThat(automaticMessages(setup, id)).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> bodiesTo("+5511960000008").contains("Oi! Aqui é o Bruno."));
        assertThat(bodiesTo("+5511960000008")).containsExactly("Oi! Aqui é o Bruno.");
    }

    @Test
    void anAnswerHeldByTheModelWhileTheAiIsDisabledIsDiscardedNotSent() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Outra resposta atrasada", 50, 0, 10).withFixedDelay(3000)));
        var setup = fixtures.create("Race Disabled", settings(Map.of()), List.of(), true);
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000009", "Oi");
        await().atMost(Duration.ofSeconds(10)).until(() -> completionRequests(fake).size() == 1);

        String id = conversationId(setup);
        TenantScope.run(setup.tenant().id(), () -> conversations.pauseAi(UUID.fromString(id), "paused by a supervisor"));

        await().atMost(Duration.ofSeconds(10)).until(() -> events(setup, id).toString().contains("ai_answer_discarded"));
        await().atMost(Duration.ofSeconds(10)).until(() -> turnFinished(id));
        assertThat(automaticMessages(setup, id)).isEmpty();
        assertThat(bodiesTo("+5511960000009")).isEmpty();
    }

    @Test
    void aPersonReactivatesTheAiAndTheNextMessageIsAnsweredWhileAnIntegrationTokenIsRefused() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("reactivate").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(error(500, "server_error", null, "down")));
        var setup = fixtures.create("Reactivate", settings(Map.of()), List.of(), true);
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000010", "Oi");
        awaitFallback(setup);
        String id = conversationId(setup);

        // while the AI is disabled, customer messages are kept for people and cost no LLM call
        int callsSoFar = completionRequests(fake).size();
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000010", "Alô?");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> completionRequests(fake).size() == callsSoFar);

        assertThat(api.post("/api/v1/conversations/" + id + "/reactivate-ai", setup.tenant().integrationToken(), Map.of()).status())
                .isEqualTo(403);
        var reactivated = api.post("/api/v1/conversations/" + id + "/reactivate_ai", setup.tenant().agentToken(), Map.of());
        assertThat(reactivated.status()).isEqualTo(200);
        assertThat(reactivated.json().get("ai_disabled").asBoolean()).isFalse();
        assertThat(events(setup, id).toString()).contains("ai_reactivated");

        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Voltei! Como posso ajudar?", 50, 0, 10)));
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000010", "E agora?");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake).contains("Voltei! Como posso ajudar?"));
    }

    @Test
    void aCustomerAskingForAPersonIsHandedOverWithoutAnyLlmCall() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("não deveria", 1, 0, 1)));
        var setup = fixtures.create("Human Please", settings(Map.of()), List.of(), true);

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000011", "Quero falar com um atendente, por favor");

        await().atMost(Duration.ofSeconds(20)).until(() -> !twilioBodies(fake).isEmpty());
        assertThat(twilioBodies(fake).get(0)).contains("transferir");
        assertThat(completionRequests(fake)).isEmpty();
        JsonNode conversation = conversation(setup);
        assertThat(conversation.get("status").asString()).isEqualTo("waiting");
        assertThat(conversation.get("ai_disabled_reason").asString()).contains("asked for a person");
        JsonNode ai = api.get("/api/v1/conversations/" + conversationId(setup) + "/ai", setup.tenant().agentToken()).json().get(0);
        assertThat(ai.get("status").asString()).isEqualTo("escalated");
    }

    @Test
    void stronglyNegativeSentimentIsEscalatedWithoutAnyLlmCall() {
        var setup = fixtures.create("Angry", settings(Map.of()), List.of(), true);

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000012",
                "Que atendimento PÉSSIMO!! Um absurdo, vou no PROCON, vocês são muito incompetentes!");

        await().atMost(Duration.ofSeconds(20)).until(() -> !twilioBodies(fake).isEmpty());
        assertThat(completionRequests(fake)).isEmpty();
        assertThat(conversation(setup).get("ai_disabled_reason").asString()).contains("negative sentiment");
    }

    @Test
    void aFaultInjectionRunLeavesNoCustomerInSilence() {
        List<ResponseDefinitionBuilder> faults = List.of(
                error(500, "server_error", null, "boom"), error(503, "server_error", null, "unavailable"),
                error(429, "insufficient_quota", "insufficient_quota", "quota"), error(401, "invalid_request_error", "invalid_api_key", "key"),
                error(400, "invalid_request_error", null, "bad"), answer("", 10, 0, 0),
                aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER),
                aResponse().withStatus(200).withBody("not json at all"), answer("Tudo certo!", 10, 0, 5));
        var setup = fixtures.create("Fault Injection", settings(Map.of("turn_timeout_seconds", 5)), List.of(), true);
        int turns = faults.size() * 2;
        for (int i = 0; i < turns; i++) {
            fake.stubFor(post(urlEqualTo(COMPLETIONS)).withRequestBody(containing("caso-" + i + "-"))
                    .willReturn(faults.get(i % faults.size())));
        }
        for (int i = 0; i < turns; i++) {
            channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+55119500000" + String.format("%02d", i), "caso-" + i + "-oi");
        }
        // each customer hears exactly what their case deserves: the answer where the model answered, else the fallback
        for (int i = 0; i < turns; i++) {
            String phone = "+55119500000" + String.format("%02d", i);
            boolean answered = i % faults.size() == faults.size() - 1;
            await().atMost(Duration.ofSeconds(60)).until(() -> !bodiesTo(phone).isEmpty());
            List<String> heard = bodiesTo(phone);
            assertThat(heard).as("customer %s (fault %d)", phone, i % faults.size()).hasSize(1);
            if (answered) {
                assertThat(heard.get(0)).isEqualTo("Tudo certo!");
            } else {
                assertThat(heard.get(0)).contains(FALLBACK_PT);
            }
        }
    }

    /** What Twilio was asked to send to this customer (the fake serves every test; the number is this test's). */
    private List<String> bodiesTo(String phone) {
        String to = "To=" + java.net.URLEncoder.encode("whatsapp:" + phone, java.nio.charset.StandardCharsets.UTF_8);
        List<String> bodies = new java.util.ArrayList<>();
        for (var request : fake.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(AiFixtures.ANY_TWILIO_MESSAGES)))) {
            List<String> pairs = List.of(request.getBodyAsString().split("&"));
            if (pairs.contains(to)) {
                pairs.stream().filter(p -> p.startsWith("Body="))
                        .forEach(p -> bodies.add(java.net.URLDecoder.decode(p.substring(5), java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        return bodies;
    }

    /** Whether the conversation's turn job has ended (no turn is running or due). */
    private boolean turnFinished(String conversationId) {
        return TenantScope.asSystem(() -> jdbc.sql("select count(*) from scheduled_tasks where task_name = ? and task_instance = ?")
                .params(TurnScheduling.TASK.getTaskName(), conversationId).query(Integer.class).single() == 0);
    }

    /** Messages of the AI or the system stored in the conversation. */
    private List<String> automaticMessages(AiFixtures.AiSetup setup, String id) {
        List<String> automatic = new java.util.ArrayList<>();
        api.get("/api/v1/conversations/" + id + "/messages", setup.tenant().agentToken()).json().get("items").forEach(m -> {
            String sender = m.get("sender_type").asString();
            if (sender.equals("ai_agent") || sender.equals("system")) {
                automatic.add(m.get("content").asString());
            }
        });
        return automatic;
    }

    private static Map<String, Object> settings(Map<String, Object> extra) {
        var settings = new java.util.HashMap<String, Object>(Map.of("context_timer_seconds", 1, "response_delay_min", 0,
                "response_delay_max", 0));
        settings.putAll(extra);
        return settings;
    }

    private JsonNode awaitFallback(AiFixtures.AiSetup setup) {
        await().atMost(Duration.ofSeconds(30)).until(() -> twilioBodies(fake).stream().anyMatch(b -> b.contains(FALLBACK_PT)));
        JsonNode conversation = conversation(setup);
        assertThat(conversation.get("status").asString()).isEqualTo("waiting");
        assertThat(conversation.get("ai_disabled").asBoolean()).isTrue();
        assertThat(conversation.get("requires_human_attention").asBoolean()).isTrue();
        assertThat(conversation.get("ai_failure_at").isNull()).isFalse();
        return conversation;
    }

    private JsonNode conversation(AiFixtures.AiSetup setup) {
        return api.get("/api/v1/conversations/" + conversationId(setup), setup.tenant().agentToken()).json();
    }

    private String conversationId(AiFixtures.AiSetup setup) {
        return api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items").get(0).get("id").asString();
    }

    private JsonNode events(AiFixtures.AiSetup setup, String id) {
        return api.get("/api/v1/conversations/" + id + "/events", setup.tenant().agentToken()).json();
    }
}
