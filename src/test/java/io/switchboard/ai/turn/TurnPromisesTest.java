package io.switchboard.ai.turn;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.switchboard.support.AiFixtures.COMPLETIONS;
import static io.switchboard.support.AiFixtures.answer;
import static io.switchboard.support.AiFixtures.completionRequests;
import static io.switchboard.support.AiFixtures.formField;
import static io.switchboard.support.AiFixtures.toolCalls;
import static io.switchboard.support.AiFixtures.twilioBodies;
import static io.switchboard.support.AiFixtures.twilioRequests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Promises of the AI turn that every other test switches off or never reaches, each exercised through a real
 * turn: a signed Twilio webhook in, the fake LLM, the fake Twilio out.
 */
@IntegrationTest
class TurnPromisesTest {

    static final String TRANSITION_PT = "Vou transferir você para uma pessoa da nossa equipe";

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    WireMockServer fake;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
    }

    @Test
    void aReplyIsHeldForTheHumanizedDelayBeforeItReachesTheCustomer() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Oi! Já vejo isso para você.", 50, 0, 10)));
        var setup = fixtures.create("Humanized Delay", settings(Map.of("response_delay_min", 3, "response_delay_max", 4)),
                List.of(), true);

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511910000001", "Oi, meu pedido já saiu?");

        // the answer is stored at once but held back: it is "scheduled" until its delay has passed
        AtomicReference<JsonNode> firstSeen = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    firstSeen.set(aiMessage(setup));
                    return firstSeen.get() != null;
                });
        assertThat(firstSeen.get().get("status").asString()).isEqualTo("scheduled");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Oi! Já vejo isso para você."));

        Instant stored = Instant.parse(firstSeen.get().get("created_at").asString()).truncatedTo(ChronoUnit.MILLIS);
        Instant asked = completionRequests(fake, setup).get(0).getLoggedDate().toInstant();
        Instant sent = twilioRequests(fake, setup).get(0).getLoggedDate().toInstant();
        assertThat(Duration.between(stored, sent)).as("sent no earlier than response_delay_min after it was stored")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(Duration.between(asked, sent)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> "sent".equals(aiMessage(setup).get("status").asString()));
    }

    @Test
    void aConversationPastItsCustomerMessageLimitGoesToAPersonWithoutAnotherLlmCall() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Certo, anotado.", 50, 0, 10)));
        var setup = fixtures.create("Long Conversation", settings(Map.of("escalation", Map.of("max_customer_messages", 2))),
                List.of(), true);
        String phone = "+5511910000002";

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), phone, "Quero uma camiseta");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).size() == 1);
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), phone, "Tamanho M");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).size() == 2);
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), phone, "Na cor azul");

        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).size() == 3);
        assertThat(twilioBodies(fake, setup)).containsExactly("Certo, anotado.", "Certo, anotado.",
                FallbackMessages.transition("pt-BR"));
        assertThat(completionRequests(fake, setup)).as("the third message costs no LLM call").hasSize(2);
        JsonNode conversation = conversation(setup);
        assertThat(conversation.get("status").asString()).isEqualTo("waiting");
        assertThat(conversation.get("ai_disabled").asBoolean()).isTrue();
        assertThat(conversation.get("requires_human_attention").asBoolean()).isTrue();
        assertThat(conversation.get("ai_disabled_reason").asString()).contains("passed 2 customer messages");
        assertThat(ai(setup).get("status").asString()).isEqualTo("escalated");
    }

    @Test
    void theModelCallingTransferirParaAgenteSaysItsLastWordsAndLeavesTheConversationToTheQueue() {
        modelTransfersThenSays("{\"motivo\":\"cliente quer negociar um desconto\"}", "Vou chamar alguém do comercial para você.");
        var setup = fixtures.create("Model Transfers", settings(Map.of()), List.of("transferir_para_agente"), true);

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511910000003", "Vocês fazem desconto para 50 peças?");

        await().atMost(Duration.ofSeconds(20)).until(() -> !twilioBodies(fake, setup).isEmpty());
        assertThat(completionRequests(fake, setup)).hasSize(2);
        JsonNode conversation = conversation(setup);
        assertThat(conversation.get("status").asString()).isEqualTo("waiting");
        assertThat(conversation.get("agent_id").isNull()).isTrue();
        assertThat(conversation.get("ai_disabled").asBoolean()).as("the AI is paused").isTrue();
        assertThat(conversation.get("requires_human_attention").asBoolean()).isTrue();
        assertThat(conversation.get("ai_disabled_reason").asString()).contains("cliente quer negociar um desconto");
        JsonNode ai = ai(setup);
        assertThat(ai.get("status").asString()).isEqualTo("escalated");
        assertThat(ai.get("escalation_reason").asString()).contains("cliente quer negociar um desconto");
        await().atMost(Duration.ofSeconds(10)).until(() -> "sent".equals(aiMessage(setup).get("status").asString()));
        assertThat(twilioBodies(fake, setup)).containsExactly("Vou chamar alguém do comercial para você.");
    }

    @Test
    void theModelTransferringToANamedPersonAssignsThemAndTheCustomerStillGetsTheLastWords() {
        var setup = fixtures.create("Model Transfers To", settings(Map.of()), List.of("transferir_para_agente"), true);
        String agentEmail = setup.tenant().agent().email();
        modelTransfersThenSays("{\"motivo\":\"troca de produto\",\"agente\":\"" + agentEmail + "\"}",
                "A Bia, do time de trocas, vai continuar com você.");

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511910000004", "Quero trocar o tamanho");

        await().atMost(Duration.ofSeconds(20)).until(() -> conversation(setup).get("agent_id").asString("")
                .equals(setup.tenant().agent().id().toString()));
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup)
                .contains("A Bia, do time de trocas, vai continuar com você."));
        assertThat(aiMessage(setup).get("status").asString()).isEqualTo("sent");
        assertThat(conversation(setup).get("ai_disabled").asBoolean()).isTrue();
        JsonNode ai = ai(setup);
        assertThat(ai.get("status").asString()).isEqualTo("escalated");
        assertThat(ai.get("escalated_to_user_id").asString()).isEqualTo(setup.tenant().agent().id().toString());
        assertThat(completionRequests(fake, setup)).hasSize(2);
    }

    @Test
    void aMonthlyCostLimitSpentThisMonthHandsTheNextCustomerOverWithoutAnLlmCall() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Claro, posso ajudar.", 1000, 200, 500)));
        var setup = fixtures.create("Monthly Limit", settings(Map.of("cost_limits", Map.of("monthly_limit_usd", 1.0))),
                List.of(), true);
        // last month's spending, far over the limit, does not count against this month
        spent(setup, 5.0, "date_trunc('month', now() at time zone 'utc') at time zone 'utc' - interval '1 second'");
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511910000005", "Oi");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Claro, posso ajudar."));
        assertThat(completionRequests(fake, setup)).hasSize(1);

        // earlier this month (not necessarily today) the agent spent US$ 1.50
        spent(setup, 1.5, "date_trunc('month', now() at time zone 'utc') at time zone 'utc'");
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511910000006", "Olá, tudo bem?");

        await().atMost(Duration.ofSeconds(20)).until(() -> bodiesTo(setup, "+5511910000006").size() == 1);
        assertThat(bodiesTo(setup, "+5511910000006")).containsExactly(FallbackMessages.transition("pt-BR"));
        JsonNode refused = conversationWith(setup, "+5511910000006");
        assertThat(refused.get("status").asString()).isEqualTo("waiting");
        assertThat(refused.get("ai_disabled").asBoolean()).isTrue();
        assertThat(refused.get("ai_disabled_reason").asString()).contains("cost limit of US$ 1 per month reached")
                .contains("spent US$ 1.5").contains("the first of the month");
        assertThat(completionRequests(fake, setup)).as("no LLM call over the limit").hasSize(1);
    }

    @Test
    void longHistoryMessagesReachTheModelCondensed() {
        String longAnswer = "RESPOSTA-INICIO " + "O pedido tem camisetas azuis em vários tamanhos. ".repeat(8)
                + "RESPOSTA-MEIO " + "Cada peça é conferida antes do envio. ".repeat(6) + "RESPOSTA-FIM";
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("history").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(answer(longAnswer, 300, 0, 200)).willSetStateTo("second"));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("history").whenScenarioStateIs("second")
                .willReturn(answer("Perfeito.", 300, 0, 10)));
        var setup = fixtures.create("Condensed History", settings(Map.of()), List.of(), true);
        String longQuestion = "PERGUNTA-INICIO " + "Quero dez camisetas azuis tamanho M para a equipe da loja. ".repeat(7)
                + "PERGUNTA-MEIO " + "Preciso que cheguem até sexta na rua das flores número dez. ".repeat(5) + "PERGUNTA-FIM";
        assertThat(longQuestion.length()).isGreaterThan(500);
        assertThat(longAnswer.length()).isGreaterThan(500);

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511910000007", longQuestion);
        await().atMost(Duration.ofSeconds(20)).until(() -> !twilioBodies(fake, setup).isEmpty());
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511910000007", "Dá para confirmar?");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Perfeito."));

        // only the history is checked: today the current message is condensed too (the first request), which SPEC §3
        // ("the last 20 messages (long ones condensed) … the current message") may not intend
        List<LoggedRequest> requests = completionRequests(fake, setup);
        assertThat(requests).hasSize(2);
        List<String[]> history = conversationMessages(requests.get(1));
        assertThat(history).extracting(m -> m[0]).containsExactly("system", "user", "assistant", "user");
        assertThat(history.get(1)[1]).isEqualTo(condensed(longQuestion)).contains("PERGUNTA-INICIO", "PERGUNTA-FIM")
                .doesNotContain("PERGUNTA-MEIO");
        assertThat(history.get(2)[1]).isEqualTo(condensed(longAnswer)).doesNotContain("RESPOSTA-MEIO");
        assertThat(history.get(3)[1]).isEqualTo("Dá para confirmar?");
    }

    /** What the model must see of a long message: its first 350 and last 100 characters. */
    private static String condensed(String text) {
        return text.substring(0, 350) + " […] " + text.substring(text.length() - 100);
    }

    /** The (role, text) of every message of a chat completion request, in order. */
    private List<String[]> conversationMessages(LoggedRequest request) {
        List<String[]> messages = new ArrayList<>();
        for (JsonNode m : json.readTree(request.getBodyAsString()).get("messages")) {
            JsonNode content = m.get("content");
            String text;
            if (content == null || content.isNull()) {
                text = "";
            } else if (content.isArray()) {
                StringBuilder parts = new StringBuilder();
                content.forEach(part -> parts.append(part.path("text").asString("")));
                text = parts.toString();
            } else {
                text = content.asString();
            }
            messages.add(new String[] {m.get("role").asString(), text});
        }
        return messages;
    }

    private void modelTransfersThenSays(String argumentsJson, String finalWords) {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("transfer").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(toolCalls(List.<String[]>of(new String[] {"call_transfer", "transferir_para_agente", argumentsJson}),
                        200, 0, 20))
                .willSetStateTo("transferred"));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("transfer").whenScenarioStateIs("transferred")
                .willReturn(answer(finalWords, 250, 0, 20)));
    }

    /** Records an earlier LLM call of the setup's agent that cost {@code usd}, made at the SQL time {@code at}. */
    private void spent(AiFixtures.AiSetup setup, double usd, String at) {
        setup.tenant().scoped(() -> jdbc.sql("insert into llm_calls (organization_id, ai_agent_id, model, cost_usd, outcome, created_at)"
                        + " values (?, ?, 'gpt-4o-mini', ?, 'ok', " + at + ")")
                .params(setup.tenant().id(), setup.agentId(), usd).update());
    }

    private List<String> bodiesTo(AiFixtures.AiSetup setup, String phone) {
        return twilioRequests(fake, setup).stream().filter(r -> ("whatsapp:" + phone).equals(formField(r, "To")))
                .map(r -> formField(r, "Body")).toList();
    }

    private static Map<String, Object> settings(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(Map.of("context_timer_seconds", 1, "response_delay_min", 0,
                "response_delay_max", 0));
        settings.putAll(extra);
        return settings;
    }

    private JsonNode conversation(AiFixtures.AiSetup setup) {
        return api.get("/api/v1/conversations/" + conversationId(setup), setup.tenant().agentToken()).json();
    }

    private JsonNode conversationWith(AiFixtures.AiSetup setup, String phone) {
        for (JsonNode c : api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items")) {
            if (phone.equals(c.get("contact").get("phone").asString())) {
                return c;
            }
        }
        throw new AssertionError("no conversation with " + phone);
    }

    private String conversationId(AiFixtures.AiSetup setup) {
        return api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items").get(0).get("id").asString();
    }

    private JsonNode ai(AiFixtures.AiSetup setup) {
        return api.get("/api/v1/conversations/" + conversationId(setup) + "/ai", setup.tenant().agentToken()).json().get(0);
    }

    /** The AI agent's (first) message in the setup's only conversation, or null while there is none. */
    private JsonNode aiMessage(AiFixtures.AiSetup setup) {
        for (JsonNode m : api.get("/api/v1/conversations/" + conversationId(setup) + "/messages", setup.tenant().agentToken()).json().get("items")) {
            if ("ai_agent".equals(m.get("sender_type").asString())) {
                return m;
            }
        }
        return null;
    }
}
