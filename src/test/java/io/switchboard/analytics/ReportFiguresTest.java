package io.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.database.TenantScope;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.ConversationHistory;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.SignedInSession;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A known history — AI answers, escalations of three kinds, an LLM failure with its fallback, tool calls with a
 * failure, CSAT answers, resolutions confirmed, assumed and reversed — written as the other modules write it, then
 * every report figure asserted exactly. The organization is in São Paulo (UTC−3): a call at 02:31 UTC on the 10th
 * belongs to the 9th.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportFiguresTest {

    private static final String RANGE = "from=2025-11-09&to=2025-11-10";

    @Autowired
    AiFixtures ai;
    @Autowired
    ApiClient api;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    tools.jackson.databind.json.JsonMapper json;
    @Autowired
    CsatScores csatScores;

    AiFixtures.AiSetup setup;
    ConversationHistory history;
    UUID lia;
    UUID zeca;
    UUID person;
    UUID support;
    String admin;

    @BeforeAll
    void buildHistory() {
        setup = ai.create("Reports", Map.of(), List.of(), false);
        lia = setup.agentId();
        person = setup.tenant().agent().id();
        admin = setup.tenant().adminToken();
        ApiClient.Response zone = api.put("/api/v1/reports/settings", admin, Map.of("time_zone", "America/Sao_Paulo"));
        assertThat(zone.status()).as(zone.body()).isEqualTo(200);
        ApiClient.Response department = api.post("/api/v1/departments", admin, Map.of("name", "Suporte"));
        assertThat(department.status()).as(department.body()).isEqualTo(201);
        support = UUID.fromString(department.json().get("id").asString());
        history = new ConversationHistory(jdbc, setup.tenant().id(), setup.accountId());
        TenantScope.run(setup.tenant().id(), this::write);
        ApiClient.Response refreshed = api.post("/api/v1/reports/refresh?rebuild=true", admin, Map.of());
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
    }

    private void write() {
        zeca = history.aiAgent("Zeca");

        // C1, Lia: answered in 4 s, the customer thanks her → confirmed; opened 23:30 local on the 9th
        UUID c1 = history.conversation(lia, null, "2025-11-10T02:30:00Z", "2025-11-10T02:40:00Z");
        history.customer(c1, "2025-11-10T02:30:00Z", "Oi, onde está meu pedido?");
        history.aiAnswer(c1, lia, "2025-11-10T02:30:04Z", "Seu pedido sai hoje.");
        history.customer(c1, "2025-11-10T02:31:00Z", "Obrigado, resolveu!");
        history.aiAnswer(c1, lia, "2025-11-10T02:31:03Z", "De nada!");
        history.llmCall(c1, lia, "2025-11-10T02:30:03Z", 1000, 200, 100, "0.001000", "ok");
        history.llmCall(c1, lia, "2025-11-10T02:31:02Z", 1200, 0, 50, "0.000800", "ok");
        history.tool(c1, lia, "order_status", true, 300, "2025-11-10T02:30:02Z");
        history.survey(c1, lia, null, 5);

        // C2, Lia: answered in 10 s, then silence → assumed; its call's price is unknown
        UUID c2 = history.conversation(lia, null, "2025-11-10T03:10:00Z", null);
        history.customer(c2, "2025-11-10T03:10:00Z", "Qual o horário da loja?");
        history.aiAnswer(c2, lia, "2025-11-10T03:10:10Z", "Das 9h às 18h.");
        history.llmCall(c2, lia, "2025-11-10T03:10:09Z", 500, 0, 40, null, "ok");
        history.tool(c2, lia, "order_status", false, 500, "2025-11-10T03:10:08Z");

        // C3, Lia: the customer asks for a person; a person answers 2 min after the handoff and closes 30 min after
        UUID c3 = history.conversation(lia, person, "2025-11-10T12:00:00Z", "2025-11-10T12:30:05Z");
        history.customer(c3, "2025-11-10T12:00:00Z", "quero falar com um atendente");
        history.event(c3, "handed_off", "2025-11-10T12:00:05Z", "Escalated: the customer asked for a person (\\\"atendente\\\")");
        history.personAnswer(c3, "2025-11-10T12:02:05Z", "Olá, sou a Ana.");
        history.survey(c3, lia, person, 4);

        // C4, Lia: the LLM times out, the fallback fires and the conversation goes to people
        UUID c4 = history.conversation(lia, null, "2025-11-10T13:00:00Z", null);
        history.customer(c4, "2025-11-10T13:00:00Z", "Preciso trocar um produto");
        history.llmCall(c4, lia, "2025-11-10T13:00:30Z", 0, 0, 0, null, "failed");
        history.message(c4, "outbound", "system", null, "2025-11-10T13:00:31Z", "Vou te passar para a equipe.",
                "{\"is_error_fallback\": true, \"reason\": \"timeout\"}");
        history.event(c4, "ai_failed", "2025-11-10T13:00:31Z", "AI failure: The LLM provider did not answer in time.");

        // C5, Zeca: answered in 2 s; the same customer comes back 6 h later (C6) → reversed
        UUID contact = history.contact();
        UUID c5 = history.conversation(zeca, null, "2025-11-10T14:00:00Z", "2025-11-10T15:00:00Z", contact);
        history.customer(c5, "2025-11-10T14:00:00Z", "Meu boleto?");
        history.aiAnswer(c5, zeca, "2025-11-10T14:00:02Z", "Enviei por e-mail.");
        history.llmCall(c5, zeca, "2025-11-10T14:00:01Z", 800, 0, 60, "0.000500", "ok");

        // C6, Zeca: answered in 5 s, then a complaint with strongly negative sentiment → handed off
        UUID c6 = history.conversation(zeca, null, "2025-11-10T20:00:00Z", null, contact);
        history.customer(c6, "2025-11-10T20:00:00Z", "O boleto não chegou");
        history.aiAnswer(c6, zeca, "2025-11-10T20:00:05Z", "Vou verificar.");
        history.customer(c6, "2025-11-10T20:01:00Z", "Não resolveu, que absurdo");
        history.event(c6, "handed_off", "2025-11-10T20:01:01Z", "Escalated: strongly negative sentiment (score -0.8)");
        history.llmCall(c6, zeca, "2025-11-10T20:00:04Z", 900, 0, 70, "0.000600", "ok");
        history.tool(c6, zeca, "transfer_to_human", true, 100, "2025-11-10T20:01:01Z");

        // outside the range: the 11th, local time
        UUID c7 = history.conversation(lia, null, "2025-11-11T03:00:00Z", null);
        history.customer(c7, "2025-11-11T03:00:00Z", "Oi");
        history.aiAnswer(c7, lia, "2025-11-11T03:00:01Z", "Olá!");
        history.llmCall(c7, lia, "2025-11-11T03:00:01Z", 300, 0, 30, "0.000300", "ok");

        // SLA clocks (routing's): C3 met both targets; C4 missed both (first response 5 min, resolution 8 h after
        // the handoff); C6 nobody took in time; C7's clock started on the 11th, outside the range
        slaClock(c3, person, "2025-11-10T12:00:05Z", "2025-11-10T12:02:05Z", null, "2025-11-10T12:30:05Z", null);
        slaClock(c4, person, "2025-11-10T13:00:31Z", null, "2025-11-10T13:05:31Z", null, "2025-11-10T21:00:31Z");
        slaClock(c6, null, "2025-11-10T20:01:01Z", null, "2025-11-10T20:06:01Z", null, "2025-11-11T04:01:01Z");
        slaClock(c7, person, "2025-11-11T03:00:01Z", "2025-11-11T03:00:01Z", null, "2025-11-11T03:10:00Z", null);
    }

    private void slaClock(UUID conversation, UUID user, String started, String answered, String answerBreached,
                          String resolved, String resolutionBreached) {
        jdbc.sql("""
                        insert into sla_timers (conversation_id, organization_id, department_id, user_id, started_at,
                               first_response_due, first_response_at, first_response_breached_at, resolution_due,
                               resolved_at, resolution_breached_at)
                        values (?, ?, ?, ?, ?::timestamptz, ?::timestamptz + interval '5 minutes', ?::timestamptz,
                                ?::timestamptz, ?::timestamptz + interval '8 hours', ?::timestamptz, ?::timestamptz)""")
                .params(conversation, setup.tenant().id(), support, user, started, started, answered, answerBreached,
                        started, resolved, resolutionBreached)
                .update();
    }

    @Test
    void costPerDayIsCutAtTheOrganizationsMidnight() {
        JsonNode days = items("costs_by_day");
        assertThat(days).hasSize(2);
        assertJson(days.get(0), """
                {"day":"2025-11-09","calls":2,"prompt_tokens":2200,"cached_tokens":200,"completion_tokens":150,"cost_usd":0.001800,"unknown_price_calls":0}""");
        assertJson(days.get(1), """
                {"day":"2025-11-10","calls":4,"prompt_tokens":2200,"cached_tokens":0,"completion_tokens":170,"cost_usd":0.001100,"unknown_price_calls":1}""");
    }

    @Test
    void costPerAgentAndMonthShowsTheShareOfCallsWithoutAPrice() {
        JsonNode rows = items("costs_by_agent_month");
        assertThat(rows).hasSize(2);
        assertJson(rows.get(0), ("""
                {"month":"2025-11","ai_agent_id":"%s","ai_agent":"Lia","calls":4,"prompt_tokens":2700,"cached_tokens":200,\
                "completion_tokens":190,"cost_usd":0.001800,"unknown_price_calls":1,"unknown_price_share":0.3333}""").formatted(lia));
        assertJson(rows.get(1), ("""
                {"month":"2025-11","ai_agent_id":"%s","ai_agent":"Zeca","calls":2,"prompt_tokens":1700,"cached_tokens":0,\
                "completion_tokens":130,"cost_usd":0.001100,"unknown_price_calls":0,"unknown_price_share":0.0000}""").formatted(zeca));
    }

    @Test
    void eachAgentsConversationsEscalationsResolutionsAndCostPerResolution() {
        JsonNode rows = items("agents");
        assertThat(rows).hasSize(2);
        assertJson(rows.get(0), ("""
                {"ai_agent_id":"%s","ai_agent":"Lia","handled":4,"completed":2,"escalated":2,"escalation_rate":0.5000,\
                "fallbacks":1,"fallback_rate":0.2500,"confirmed":1,"assumed":1,"not_resolved":0,"reversed":0,"pending":0,\
                "resolution_rate":1.0000,"tokens":2890,"cost_usd":0.001800,"cost_per_conversation":0.000450,\
                "cost_per_resolution":0.000900,"tokens_per_conversation":722,"tokens_per_resolution":1445}""").formatted(lia));
        assertJson(rows.get(1), ("""
                {"ai_agent_id":"%s","ai_agent":"Zeca","handled":2,"completed":1,"escalated":1,"escalation_rate":0.5000,\
                "fallbacks":0,"fallback_rate":0.0000,"confirmed":0,"assumed":0,"not_resolved":1,"reversed":1,"pending":0,\
                "resolution_rate":0.0000,"tokens":1830,"cost_usd":0.001100,"cost_per_conversation":0.000550,\
                "cost_per_resolution":null,"tokens_per_conversation":915,"tokens_per_resolution":null}""").formatted(zeca));
    }

    @Test
    void escalationReasonsAreCountedByKind() {
        assertJson(items("escalation_reasons"), """
                [{"reason":"ai_failure","failure_kind":"timeout","conversations":1,"share":0.3333},\
                {"reason":"human_request","failure_kind":null,"conversations":1,"share":0.3333},\
                {"reason":"negative_sentiment","failure_kind":null,"conversations":1,"share":0.3333}]""");
    }

    @Test
    void firstResponseAndResolutionTimesOfTheAiAndOfPeople() {
        assertJson(items("response_times"), """
                [{"responder":"ai","conversations":4,"first_response_median_ms":4500,"first_response_p90_ms":8500,\
                "resolution_median_ms":36500,"resolution_p90_ms":57700},\
                {"responder":"people","conversations":1,"first_response_median_ms":120000,"first_response_p90_ms":120000,\
                "resolution_median_ms":1800000,"resolution_p90_ms":1800000}]""");
    }

    @Test
    void toolUsageWithFailuresAndMeanDuration() {
        assertJson(items("tools"), """
                [{"tool":"order_status","calls":2,"failures":1,"failure_rate":0.5000,"mean_duration_ms":400},\
                {"tool":"transfer_to_human","calls":1,"failures":0,"failure_rate":0.0000,"mean_duration_ms":100}]""");
    }

    @Test
    void satisfactionIsAttributedToTheAiAgentOrThePersonWhoHandledTheConversation() {
        assertJson(items("satisfaction"), ("""
                [{"handler_type":"ai_agent","handler_id":"%s","handler":"Lia","answers":1,"average":5.00,\
                "score1":0,"score2":0,"score3":0,"score4":0,"score5":1},\
                {"handler_type":"person","handler_id":"%s","handler":"Reports Agent","answers":1,"average":4.00,\
                "score1":0,"score2":0,"score3":0,"score4":1,"score5":0}]""").formatted(lia, person));
        assertJson(items("people"), ("""
                [{"user_id":"%s","person":"Reports Agent","conversations":1,"first_response_median_ms":120000,\
                "resolution_median_ms":1800000,"csat_answers":1,"csat_average":4.00}]""").formatted(person));
    }

    @Test
    void slaTargetsMetAndBreachedPerDepartmentAndPersonOverTheRange() {
        assertJson(items("sla"), ("""
                [{"department_id":"%1$s","department":"Suporte","user_id":"%2$s","person":"Reports Agent",\
                "first_response_met":1,"first_response_breached":1,"first_response_met_rate":0.5000,\
                "resolution_met":1,"resolution_breached":1,"resolution_met_rate":0.5000},\
                {"department_id":"%1$s","department":"Suporte","user_id":null,"person":null,\
                "first_response_met":0,"first_response_breached":1,"first_response_met_rate":0.0000,\
                "resolution_met":0,"resolution_breached":1,"resolution_met_rate":0.0000}]""").formatted(support, person));
        assertThat(api.get("/api/v1/reports?" + RANGE, admin).json().get("sla")).isEqualTo(items("sla"));

        JsonNode own = api.get("/api/v1/reports/sla?" + RANGE, setup.tenant().agentToken()).json().get("items");
        assertThat(own).hasSize(1);
        assertThat(own.get(0).get("user_id").asString()).isEqualTo(person.toString());

        assertThat(api.get("/api/v1/reports/sla?format=csv&" + RANGE, admin).body()).isEqualTo(("""
                department_id,department,user_id,person,first_response_met,first_response_breached,first_response_met_rate,\
                resolution_met,resolution_breached,resolution_met_rate\r
                %1$s,Suporte,%2$s,Reports Agent,1,1,0.5000,1,1,0.5000\r
                %1$s,Suporte,,,0,1,0.0000,0,1,0.0000\r
                """).formatted(support, person));
    }

    @Test
    void theReportsPageShowsTheSlaTableInThePersonsLanguage() throws Exception {
        SignedInSession session = new SignedInSession(api.baseUrl(), setup.tenant().admin().email());
        String english = session.get("/reports?" + RANGE, "Accept-Language", "en").body();
        assertThat(english).contains("SLA targets", "First response on time", "Nobody assigned", "/api/v1/reports/sla?format=csv")
                .doesNotContain("once routing");
        assertThat(session.get("/reports?" + RANGE, "Accept-Language", "pt-BR").body())
                .contains("Metas de SLA", "Ninguém atribuído");
    }

    @Test
    void theDistributionCanAskForEachPersonsAverageScore() {
        var averages = TenantScope.call(setup.tenant().id(), () -> csatScores.averagesByPerson(Instant.now().minusSeconds(3600)));
        assertThat(averages).containsOnlyKeys(person);
        assertThat(averages.get(person).score()).isEqualByComparingTo("4.00");
        assertThat(averages.get(person).answers()).isEqualTo(1);
    }

    @Test
    void filtersNarrowEveryFigureAndAPersonSeesOnlyTheirOwn() {
        JsonNode zecaDays = api.get("/api/v1/reports/costs_by_day?" + RANGE + "&ai_agent_id=" + zeca, admin).json().get("items");
        assertThat(zecaDays.get(0).get("calls").asLong()).isZero();
        assertThat(zecaDays.get(1).get("calls").asLong()).isEqualTo(2);
        assertThat(zecaDays.get(1).get("cost_usd").decimalValue()).isEqualByComparingTo("0.0011");

        JsonNode own = api.get("/api/v1/reports/agents?" + RANGE, setup.tenant().agentToken()).json().get("items");
        assertThat(own).hasSize(1);
        assertThat(own.get(0).get("handled").asLong()).isEqualTo(1);
        assertThat(own.get(0).get("escalated").asLong()).isEqualTo(1);
    }

    @Test
    void everyReportDownloadsAsCsvWithTheSameFigures() {
        ApiClient.Response csv = api.get("/api/v1/reports/costs_by_day?format=csv&" + RANGE, admin);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).contains("switchboard-costs_by_day-2025-11-09-2025-11-10.csv");
        assertThat(csv.body()).isEqualTo("""
                day,calls,prompt_tokens,cached_tokens,completion_tokens,cost_usd,unknown_price_calls\r
                2025-11-09,2,2200,200,150,0.001800,0\r
                2025-11-10,4,2200,0,170,0.001100,1\r
                """);
    }

    @Test
    void badInputIsRefusedWithAProblem() {
        assertThat(api.get("/api/v1/reports/nonsense?" + RANGE, admin).status()).isEqualTo(404);
        ApiClient.Response backwards = api.get("/api/v1/reports/agents?from=2025-11-10&to=2025-11-01", admin);
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.body()).contains("must not be before");
        assertThat(api.put("/api/v1/reports/settings", admin, Map.of("time_zone", "Mars/Olympus")).status()).isEqualTo(400);
        assertThat(api.put("/api/v1/reports/settings", setup.tenant().agentToken(), Map.of("time_zone", "UTC")).status())
                .isEqualTo(403);
    }

    /** Same figures and fields, whatever the order of the fields. */
    private void assertJson(JsonNode actual, String expected) {
        assertThat(actual).isEqualTo(json.readTree(expected));
    }

    private JsonNode items(String report) {
        ApiClient.Response response = api.get("/api/v1/reports/" + report + "?" + RANGE, admin);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("items");
    }
}
