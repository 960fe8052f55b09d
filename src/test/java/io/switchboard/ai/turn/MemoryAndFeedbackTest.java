package io.switchboard.ai.turn;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
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
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.switchboard.database.TenantScope;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.SignedInSession;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Issue 11: the AI remembers a customer across conversations, and complaints reach the supervisors. */
@IntegrationTest
class MemoryAndFeedbackTest {

    static final Map<String, Object> QUICK = Map.of("context_timer_seconds", 0, "response_delay_min", 0, "response_delay_max", 0);
    /** Tokens of the review call, to find its row in the books. */
    static final int REVIEW_PROMPT_TOKENS = 777;

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Autowired
    JdbcClient jdbc;

    WireMockServer fake;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).atPriority(5).willReturn(answer("Certo!", 100, 0, 3)));
        // the review asks for its tool by name: it gets facts and one piece of feedback back, as a tool call
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).atPriority(1).withRequestBody(containing(ConversationReview.TOOL))
                .willReturn(toolCalls(List.<String[]>of(new String[] {"call_r", ConversationReview.TOOL, """
                        {"facts":["Tem um cachorro chamado Thor","Prefere receber entregas à tarde"],
                         "feedback":[{"kind":"suggestion","message":1,"excerpt":"Seria ótimo ter entrega no sábado"}]}"""}),
                        REVIEW_PROMPT_TOKENS, 0, 40)));
    }

    @Test
    void factsExtractedAfterFiveMessagesAreRecalledInTheContactsNextConversationOnly() {
        var setup = fixtures.create("Memory Co", QUICK, List.of(), true);
        var other = fixtures.create("Memory Other Co", QUICK, List.of(), true);
        String maria = "+5511960000001";
        List<String> said = List.of("Oi! Seria ótimo ter entrega no sábado", "Quero comprar uma coleira", "É para o Thor, meu cachorro",
                "Prefiro receber à tarde", "Qual o prazo?");
        for (int i = 0; i < said.size(); i++) {
            channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), maria, said.get(i));
            int answers = i + 1;
            await().atMost(Duration.ofSeconds(30)).until(() -> twilioBodies(fake, setup).size() >= answers);
        }
        var first = onlyConversation(setup);
        String contactId = first.get("contact").get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> memories(setup, contactId).size() == 2);
        assertThat(memories(setup, contactId)).extracting(m -> m.get("fact").asString())
                .containsExactlyInAnyOrder("Tem um cachorro chamado Thor", "Prefere receber entregas à tarde");
        assertThat(memories(setup, contactId).get(0).get("conversation_id").asString()).isEqualTo(first.get("id").asString());
        // the review's call is in the books like any other, with the conversation and agent
        assertThat(TenantScope.call(setup.tenant().id(), () -> jdbc.sql(
                        "select count(*) from llm_calls where conversation_id = ?::uuid and ai_agent_id = ? and prompt_tokens = ?")
                .params(first.get("id").asString(), setup.agentId(), REVIEW_PROMPT_TOKENS).query(Integer.class).single())).isEqualTo(1);
        // the feedback the words missed, found by the review
        assertThat(api.get("/api/v1/feedback_records?kind=suggestion", setup.tenant().adminToken()).json().get("items"))
                .anySatisfy(f -> assertThat(f.get("excerpt").asString()).isEqualTo("Seria ótimo ter entrega no sábado"));

        // a new conversation, not the closed one reopened
        assertThat(api.patch("/api/v1/channel_accounts/" + setup.accountId(), setup.tenant().adminToken(), Map.of("reopen_closed", false))
                .status()).isEqualTo(200);
        assertThat(api.post("/api/v1/conversations/" + first.get("id").asString() + "/close", setup.tenant().adminToken(), Map.of())
                .status()).isLessThan(300);
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), maria, "Oi de novo! Chegou a coleira nova?");
        await().atMost(Duration.ofSeconds(30)).until(() -> twilioBodies(fake, setup).size() == 6);
        assertThat(lastTurnRequest(setup)).contains("Tem um cachorro chamado Thor").contains("Prefere receber entregas à tarde");

        // another contact of the same organization, and the same phone number in another organization: nothing of Maria
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000002", "Oi, chegou a coleira?");
        await().atMost(Duration.ofSeconds(30)).until(() -> twilioBodies(fake, setup).size() == 7);
        assertThat(lastTurnRequest(setup)).doesNotContain("Thor").doesNotContain("entregas à tarde");
        channels.twilioMessage(other.accountId(), AiTurnTest.sid(), maria, "Oi, chegou a coleira?");
        await().atMost(Duration.ofSeconds(30)).until(() -> twilioBodies(fake, other).size() == 1);
        assertThat(lastTurnRequest(other)).doesNotContain("Thor").doesNotContain("entregas à tarde");
    }

    @Test
    void withoutAnLlmNoReviewIsScheduledAndNoFactIsGuessed() {
        var setup = fixtures.create("Memory Offline Co", QUICK, List.of(), false);
        for (int i = 0; i < 5; i++) {
            channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000003", "Meu cachorro se chama Thor " + i);
        }
        String conversationId = onlyConversation(setup).get("id").asString();
        Integer reviews = TenantScope.asSystem(() -> jdbc.sql("select count(*) from scheduled_tasks where task_name = ? and task_instance like ?")
                .params(ConversationReview.TASK.getTaskName(), conversationId + "@%").query(Integer.class).single());
        assertThat(reviews).isZero();
        String contactId = onlyConversation(setup).get("contact").get("id").asString();
        assertThat(memories(setup, contactId)).isEmpty();
    }

    @Test
    void theFuriousCustomerOfIssue11IsRecordedAsAComplaintAndTheAdministratorIsToldLive() throws Exception {
        var setup = fixtures.create("Feedback Co", QUICK, List.of(), true);
        SignedInSession admin = new SignedInSession(api.baseUrl(), setup.tenant().admin().email());
        HttpResponse<InputStream> stream = admin.http().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/inbox/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).isEqualTo("event:ready");
            channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511960000004", FuriousCustomerTest.FURIOUS);
            CompletableFuture.runAsync(() -> {
                try {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lines.add(line);
                        if (line.contains("\"kind\":\"feedback\"")) {
                            return;
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }).get(20, TimeUnit.SECONDS);
        }
        String conversationId = onlyConversation(setup).get("id").asString();
        assertThat(String.join("\n", lines)).contains("event:routing").contains("\"feedback_kind\":\"complaint\"").contains(conversationId);

        var records = api.get("/api/v1/feedback_records?kind=complaint", setup.tenant().adminToken()).json().get("items");
        assertThat(records).hasSize(1);
        assertThat(records.get(0).get("excerpt").asString()).contains("Péssimo atendimento");
        assertThat(records.get(0).get("detected_by").asString()).isEqualTo("scorer");
        assertThat(records.get(0).get("ai_agent_id").asString()).isEqualTo(setup.agentId().toString());
        // supervisors only
        assertThat(api.get("/api/v1/feedback_records", setup.tenant().agentToken()).status()).isEqualTo(403);
    }

    private tools.jackson.databind.JsonNode onlyConversation(AiFixtures.AiSetup setup) {
        var items = api.get("/api/v1/conversations", setup.tenant().adminToken()).json().get("items");
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private List<tools.jackson.databind.JsonNode> memories(AiFixtures.AiSetup setup, String contactId) {
        List<tools.jackson.databind.JsonNode> found = new ArrayList<>();
        api.get("/api/v1/contacts/" + contactId + "/memories", setup.tenant().agentToken()).json().get("items").forEach(found::add);
        return found;
    }

    private String lastTurnRequest(AiFixtures.AiSetup setup) {
        List<LoggedRequest> turns = completionRequests(fake, setup).stream()
                .filter(r -> !r.getBodyAsString().contains(ConversationReview.TOOL)).toList();
        return turns.get(turns.size() - 1).getBodyAsString();
    }
}
