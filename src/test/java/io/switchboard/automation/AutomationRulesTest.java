package io.switchboard.automation;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.switchboard.support.AiFixtures.COMPLETIONS;
import static io.switchboard.support.AiFixtures.answer;
import static io.switchboard.support.AiFixtures.completionRequests;
import static io.switchboard.support.AiFixtures.twilioBodies;
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
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Rules and intents end to end: customer messages arrive as Twilio webhooks, rules run as durable jobs, intents answer
 * before the LLM (the fake OpenAI-compatible server counts every request), and the run log says what happened.
 */
@IntegrationTest
class AutomationRulesTest {

    private static final AtomicInteger SIDS = new AtomicInteger();

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Conversations conversations;

    @Autowired
    Funnels funnels;

    WireMockServer fake;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Claro, posso ajudar.", 100, 0, 20)));
    }

    static String sid() {
        return "SM" + UUID.randomUUID().toString().replace("-", "").substring(0, 30) + SIDS.incrementAndGet();
    }

    static Map<String, Object> quickAgent(boolean branching) {
        return Map.of("context_timer_seconds", 0, "response_delay_min", 0, "response_delay_max", 0, "ai_branching_active", branching);
    }

    @Test
    void aKeywordIntentAnswersWithoutAnyRequestReachingTheLlmAndOtherwiseTheAiAnswers() {
        var setup = fixtures.create("Intent Keyword", quickAgent(true), List.of(), true);
        var created = api.post("/api/v1/intents", setup.tenant().adminToken(), Map.of("name", "frete", "keywords", List.of("frete"),
                "actions", List.of(Map.of("type", "send_message", "value", "Frete grátis acima de R$ 299, {{contact.first_name}}!"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        channels.twilioMessage(setup.accountId(), sid(), "+5511930000001", "Quanto custa o FRETE pra SP?");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Frete grátis acima de R$ 299, Maria!"));
        assertThat(completionRequests(fake, setup)).isEmpty();
        JsonNode runs = api.get("/api/v1/automation_runs", setup.tenant().adminToken()).json().get("items");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("name").asString()).isEqualTo("frete");
        assertThat(runs.get(0).get("llm_call_saved").asBoolean()).isTrue();

        // no intent recognised: the AI turn as before
        channels.twilioMessage(setup.accountId(), sid(), "+5511930000001", "E vocês abrem no domingo?");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Claro, posso ajudar."));
        assertThat(completionRequests(fake, setup)).hasSize(1);
    }

    @Test
    void theIntentWaitsForTheAgentsSwitch() {
        var setup = fixtures.create("Intent Off", quickAgent(false), List.of(), true);
        api.post("/api/v1/intents", setup.tenant().adminToken(), Map.of("name", "frete", "keywords", List.of("frete"),
                "actions", List.of(Map.of("type", "send_message", "value", "Frete grátis!"))));

        channels.twilioMessage(setup.accountId(), sid(), "+5511930000002", "quanto é o frete?");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Claro, posso ajudar."));
        assertThat(twilioBodies(fake, setup)).doesNotContain("Frete grátis!");
    }

    @Test
    void aRuleWithAllAndAnyConditionsFiresOnceOnTheMessagesThatMatch() {
        var setup = fixtures.create("Rule All Any", quickAgent(false), List.of(), true);
        var rule = api.post("/api/v1/automations", setup.tenant().adminToken(), Map.of(
                "name", "Pedido com número",
                "event", "message_received",
                "conditions", Map.of(
                        "all", List.of(Map.of("field", "message_text", "operator", "contains", "value", "pedido"),
                                Map.of("field", "status", "operator", "is", "value", "open")),
                        "any", List.of(Map.of("field", "tag", "operator", "has", "value", "vip"),
                                Map.of("field", "message_text", "operator", "matches", "value", "#\\d+"))),
                "actions", List.of(Map.of("type", "add_tag", "value", "Pedido"),
                        Map.of("type", "add_note", "value", "Pedido citado por {{contact.name}}"))));
        assertThat(rule.status()).as(rule.body()).isEqualTo(201);
        assertThat(rule.json().get("event").asString()).isEqualTo("message_received");

        channels.twilioMessage(setup.accountId(), sid(), "+5511930000003", "meu pedido não chegou");   // any: neither
        channels.twilioMessage(setup.accountId(), sid(), "+5511930000003", "#4521 ainda nada");         // all: no "pedido"
        channels.twilioMessage(setup.accountId(), sid(), "+5511930000003", "o PEDIDO #4521 sumiu");      // both groups hold
        await().atMost(Duration.ofSeconds(20)).until(() -> runs(setup.tenant().id()) == 3);
        UUID conversation = conversationOf(setup.tenant().id());
        await().atMost(Duration.ofSeconds(10)).until(() -> notes(setup.tenant().id(), conversation).size() == 1);
        assertThat(notes(setup.tenant().id(), conversation)).containsExactly("Pedido citado por Maria Silva");
        assertThat(TenantScope.call(setup.tenant().id(), () -> conversations.tags(conversation))).containsExactly("Pedido");
        assertThat(matchedRuns(setup.tenant().id())).isEqualTo(1);
    }

    @Test
    void aRuleWhoseActionWouldRetriggerItselfRunsOnce() {
        var setup = fixtures.create("Rule Loop", quickAgent(false), List.of(), true);
        TenantScope.run(setup.tenant().id(), () -> funnels.createDefault("Vendas", List.of("Novo", "Qualificado", "Negociação"), 3));
        api.post("/api/v1/automations", setup.tenant().adminToken(), Map.of("name", "Sempre para negociação",
                "event", "stage_changed",
                "actions", List.of(Map.of("type", "move_to_stage", "value", "Negociação"),
                        Map.of("type", "add_note", "value", "Movida pela regra"))));
        channels.twilioMessage(setup.accountId(), sid(), "+5511930000004", "Oi");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Claro, posso ajudar."));
        UUID conversation = conversationOf(setup.tenant().id());

        TenantScope.run(setup.tenant().id(), () -> conversations.moveToStage(conversation, "Qualificado"));
        await().atMost(Duration.ofSeconds(10)).until(() -> notes(setup.tenant().id(), conversation).size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> runs(setup.tenant().id()) == 1);
        assertThat(notes(setup.tenant().id(), conversation)).containsExactly("Movida pela regra");
        assertThat(stageOf(setup.tenant().id(), conversation)).isEqualTo("Negociação");
    }

    @Test
    void aTimeBasedRuleFiresAfterTheConfiguredSilenceAndNotWhenTheCustomerReplied() {
        var setup = fixtures.create("Rule Silence", quickAgent(false), List.of(), true);
        api.post("/api/v1/automations", setup.tenant().adminToken(), Map.of("name", "Cliente sumiu", "event", "no_customer_reply",
                "minutes", 30, "actions", List.of(Map.of("type", "add_tag", "value", "sem-resposta"))));
        channels.twilioMessage(setup.accountId(), sid(), "+5511930000005", "Oi");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).contains("Claro, posso ajudar."));
        UUID conversation = conversationOf(setup.tenant().id());

        // the silence clock is a durable job due 30 minutes after the answer; nothing happens before then
        Instant due = await().atMost(Duration.ofSeconds(10)).until(() -> silenceDue(conversation), d -> d != null);
        assertThat(Duration.between(Instant.now(), due)).isBetween(Duration.ofMinutes(29), Duration.ofMinutes(31));
        assertThat(TenantScope.call(setup.tenant().id(), () -> conversations.tags(conversation))).isEmpty();

        // the 30 minutes pass (the job's time is brought forward rather than waited for)
        bringSilenceForward(conversation);
        await().atMost(Duration.ofSeconds(10)).until(() -> TenantScope.call(setup.tenant().id(), () -> conversations.tags(conversation))
                .contains("sem-resposta"));

        // another conversation whose customer wrote again after the answer is not "silent"
        channels.twilioMessage(setup.accountId(), sid(), "+5511930000006", "Olá");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioBodies(fake, setup).stream().filter("Claro, posso ajudar."::equals).count() == 2);
        UUID second = TenantScope.call(setup.tenant().id(), () -> jdbc.sql("""
                select c.id from conversations c join contacts k on k.id = c.contact_id where k.phone like '%30000006'""")
                .query(UUID.class).single());
        await().atMost(Duration.ofSeconds(10)).until(() -> silenceDue(second) != null);
        TenantScope.run(setup.tenant().id(), () -> jdbc.sql("update conversations set last_customer_message_at = now() where id = ?")
                .param(second).update());
        bringSilenceForward(second);
        await().atMost(Duration.ofSeconds(10)).until(() -> silenceDue(second) == null);
        assertThat(TenantScope.call(setup.tenant().id(), () -> conversations.tags(second))).isEmpty();
    }

    private Instant silenceDue(UUID conversation) {
        return TenantScope.asSystem(() -> jdbc.sql("""
                        select execution_time from scheduled_tasks where task_name = 'automation-silence' and task_instance like ?""")
                .param("%:" + conversation).query(Timestamp.class).optional().map(Timestamp::toInstant).orElse(null));
    }

    private void bringSilenceForward(UUID conversation) {
        TenantScope.runAsSystem(() -> jdbc.sql("""
                        update scheduled_tasks set execution_time = now() where task_name = 'automation-silence' and task_instance like ?""")
                .param("%:" + conversation).update());
    }

    private UUID conversationOf(UUID organizationId) {
        return TenantScope.call(organizationId, () -> jdbc.sql("select id from conversations where organization_id = ?")
                .param(organizationId).query(UUID.class).single());
    }

    private int runs(UUID organizationId) {
        return TenantScope.call(organizationId, () -> jdbc.sql("select count(*) from automation_runs where organization_id = ?")
                .param(organizationId).query(Integer.class).single());
    }

    private int matchedRuns(UUID organizationId) {
        return TenantScope.call(organizationId, () -> jdbc.sql("select count(*) from automation_runs where organization_id = ? and matched")
                .param(organizationId).query(Integer.class).single());
    }

    private List<String> notes(UUID organizationId, UUID conversation) {
        return TenantScope.call(organizationId, () -> jdbc.sql("select content from messages where conversation_id = ? and private order by created_at")
                .param(conversation).query(String.class).list());
    }

    private String stageOf(UUID organizationId, UUID conversation) {
        return TenantScope.call(organizationId, () -> jdbc.sql("select s.name from conversations c join funnel_stages s on s.id = c.stage_id where c.id = ?")
                .param(conversation).query(String.class).single());
    }
}
