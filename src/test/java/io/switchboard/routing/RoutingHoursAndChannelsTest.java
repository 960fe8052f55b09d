package io.switchboard.routing;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.database.TenantScope;
import io.switchboard.routing.RoutingFixtures.Person;
import io.switchboard.routing.RoutingFixtures.Team;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Business hours (a handoff outside them waits, the customer hears when the team opens, the SLA counts open time
 * only) and automatic assignment per channel account (switchable, with or without AI agents in the pool).
 */
@IntegrationTest
@Import(RoutingFixtures.class)
class RoutingHoursAndChannelsTest {

    private static final Duration ASSIGNED_WITHIN = Duration.ofSeconds(10);
    private static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");

    @Autowired
    RoutingFixtures fixtures;

    @Autowired
    ApiClient api;

    @Autowired
    Conversations conversations;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AiFixtures ai;

    @Autowired
    Channels channels;

    @Autowired
    io.switchboard.conversation.InboxWork work;

    private static String phone() {
        return "+55117%08d".formatted(Math.abs(UUID.randomUUID().hashCode() % 100_000_000));
    }

    private UUID conversationOf(Team team, String phone) {
        await().atMost(Duration.ofSeconds(20)).until(() -> TenantScope.call(team.id(), () -> jdbc.sql(
                "select count(*) from conversations c join contacts k on k.id = c.contact_id where k.phone = ?")
                .param(phone).query(Integer.class).single()) > 0);
        return TenantScope.call(team.id(), () -> jdbc.sql(
                "select c.id from conversations c join contacts k on k.id = c.contact_id where k.phone = ?")
                .param(phone).query(UUID.class).single());
    }

    private String systemMessage(Team team, UUID conversationId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> TenantScope.call(team.id(), () -> jdbc.sql(
                "select count(*) from messages where conversation_id = ? and sender_type = 'system'")
                .param(conversationId).query(Integer.class).single()) > 0);
        return TenantScope.call(team.id(), () -> jdbc.sql(
                "select content from messages where conversation_id = ? and sender_type = 'system' order by created_at limit 1")
                .param(conversationId).query(String.class).single());
    }

    private boolean queued(Team team, UUID conversationId) {
        return TenantScope.call(team.id(), () -> jdbc.sql("select count(*) from routing_queue where conversation_id = ?")
                .param(conversationId).query(Integer.class).single()) > 0;
    }

    @Test
    void outsideBusinessHoursAHandoffWaitsTheCustomerHearsWhenTheTeamOpensAndTheSlaCountsOnlyOpenTime() {
        WireMockServer fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        fake.stubFor(post(urlEqualTo(AiFixtures.COMPLETIONS)).willReturn(AiFixtures.answer("Oi!", 50, 0, 10)));
        var setup = ai.create("Closed Team", Map.of("context_timer_seconds", 0, "response_delay_min", 0,
                "response_delay_max", 0), List.of(), true);
        // open only tomorrow (São Paulo time), 09:00-18:00: closed right now whatever the hour
        LocalDate tomorrow = LocalDate.now(SAO_PAULO).plusDays(1);
        Map<String, Object> weekly = Map.of(tomorrow.getDayOfWeek().name().toLowerCase(Locale.ROOT),
                List.of(Map.of("from", "09:00", "to", "18:00")));
        var created = api.post("/api/v1/departments", setup.tenant().adminToken(), Map.of("name", "Suporte", "is_default", true,
                "business_hours", Map.of("timezone", "America/Sao_Paulo", "weekly", weekly)));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("business_hours").get("timezone").asString()).isEqualTo("America/Sao_Paulo");
        Team team = new Team(setup.tenant(), setup.accountId(), UUID.fromString(created.json().get("id").asString()));
        Person bia = fixtures.person(team, "Bia", "online", Map.of());

        String customer = phone();
        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), customer,
                "Quero falar com um atendente, por favor");
        UUID conversation = conversationOf(team, customer);
        ZonedDateTime opening = tomorrow.atTime(9, 0).atZone(SAO_PAULO);
        String when = DateTimeFormatter.ofPattern("EEEE, d 'de' MMMM, 'às' HH:mm", Locale.forLanguageTag("pt-BR")).format(opening);
        assertThat(systemMessage(team, conversation))
                .isEqualTo("Nossa equipe de Suporte está fora do horário de atendimento agora. Sua conversa já está na fila e ela responde a partir de "
                        + when + ".");

        // Bia is online, but the team is closed: the conversation waits in the queue
        await().atMost(ASSIGNED_WITHIN).until(() -> queued(team, conversation));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> fixtures.assignee(team, conversation) == null);

        // the first response is due 5 open minutes after the opening, the resolution 24 open hours on (next week)
        Map<String, Object> timer = TenantScope.call(team.id(), () -> jdbc.sql(
                "select first_response_due, resolution_due from sla_timers where conversation_id = ?").param(conversation).query().singleRow());
        assertThat(((Timestamp) timer.get("first_response_due")).toInstant()).isEqualTo(opening.plusMinutes(5).toInstant());
        assertThat(((Timestamp) timer.get("resolution_due")).toInstant())
                .isEqualTo(opening.plusWeeks(2).withHour(15).toInstant()); // 9 h + 9 h + 6 h over three of those days
        var timers = api.get("/api/v1/sla_timers?conversation_ids=" + conversation, bia.token());
        assertThat(timers.json().get("items").get(0).get("state").asString()).isEqualTo("first_response_due");

        // the AI failing (an empty answer) outside hours: the default fallback does not promise a person "shortly" either
        fake.stubFor(post(urlEqualTo(AiFixtures.COMPLETIONS)).willReturn(AiFixtures.answer("   ", 50, 0, 0)));
        String failed = phone();
        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), failed, "Oi, tudo bem?");
        assertThat(systemMessage(team, conversationOf(team, failed))).contains("fora do horário de atendimento").contains(when);

        // the team opens (every day, all day): the waiting conversation goes to Bia at once
        Map<String, Object> always = new LinkedHashMap<>();
        for (String day : List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")) {
            always.put(day, List.of(Map.of("from", "00:00", "to", "24:00")));
        }
        assertThat(api.patch("/api/v1/departments/" + team.departmentId(), setup.tenant().adminToken(),
                Map.of("business_hours", Map.of("timezone", "America/Sao_Paulo", "weekly", always))).status()).isEqualTo(200);
        await().atMost(ASSIGNED_WITHIN).until(() -> bia.id().equals(fixtures.assignee(team, conversation)));

        // bad hours are refused with the reason; an empty week removes the hours
        var refused = api.patch("/api/v1/departments/" + team.departmentId(), setup.tenant().adminToken(),
                Map.of("business_hours", Map.of("timezone", "Mars/Olympus", "weekly", always)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("is not a time zone");
        var cleared = api.patch("/api/v1/departments/" + team.departmentId(), setup.tenant().adminToken(),
                Map.of("business_hours", Map.of("weekly", Map.of())));
        assertThat(cleared.json().get("business_hours").isNull()).isTrue();
    }

    @Test
    void aChannelAccountRoutesItsNewConversationsToItsDepartmentSwitchablyAndWithAiAgentsInThePoolWhenAsked() {
        Team team = fixtures.team("Channel Rules", "round_robin");
        String admin = team.tenant().adminToken();
        var other = api.post("/api/v1/departments", admin, Map.of("name", "Vendas", "is_default", true));
        assertThat(other.status()).isEqualTo(201);
        Person ana = fixtures.person(team, "Ana", "online", Map.of());

        // without a rule a new conversation of an account without an AI agent waits for someone to take it
        Conversation before = fixtures.customer(team, phone());
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> fixtures.assignee(team, before.id()) == null);

        // the account's new conversations go to Suporte's people (no AI agent on the account: straight to them)
        var rule = api.put("/api/v1/routing_channel_rules/" + team.accountId(), admin, Map.of("department_id", team.departmentId()));
        assertThat(rule.status()).isEqualTo(200);
        assertThat(rule.json().get("auto_assign").asBoolean()).isTrue();
        assertThat(rule.json().get("assign_to_ai_agent").asBoolean()).isFalse();
        Conversation routed = fixtures.customer(team, phone());
        await().atMost(ASSIGNED_WITHIN).until(() -> ana.id().equals(fixtures.assignee(team, routed.id())));
        assertThat(TenantScope.call(team.id(), () -> conversations.find(routed.id()).departmentId())).isEqualTo(team.departmentId());
        assertThat(fixtures.history(team, routed.id())).contains("assigned_by_round_robin");
        assertThat(api.get("/api/v1/routing_channel_rules", admin).json().get("items")).hasSize(1);

        // switched off: kept, but does nothing
        api.put("/api/v1/routing_channel_rules/" + team.accountId(), admin, Map.of("department_id", team.departmentId(), "auto_assign", false));
        Conversation off = fixtures.customer(team, phone());
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                .until(() -> fixtures.assignee(team, off.id()) == null && !queued(team, off.id()));

        // AI agents in the pool: with Ana away, Lia (a member of Suporte) takes the new conversation
        UUID lia = TenantScope.call(team.id(), () -> jdbc.sql("""
                        insert into ai_agents (organization_id, name, settings)
                        values (?, 'Lia', '{"context_timer_seconds": 3600}') returning id""")
                .param(team.id()).query(UUID.class).single());
        assertThat(api.post("/api/v1/departments/" + team.departmentId() + "/members", admin, Map.of("ai_agent_id", lia)).status())
                .isEqualTo(201);
        fixtures.setPresence(ana, "away");
        api.put("/api/v1/routing_channel_rules/" + team.accountId(), admin, Map.of("department_id", team.departmentId(),
                "assign_to_ai_agent", true));
        Conversation pooled = fixtures.customer(team, phone());
        await().atMost(ASSIGNED_WITHIN).until(() -> lia.equals(TenantScope.call(team.id(), () -> conversations.find(pooled.id()).aiAgentId())));
        assertThat(fixtures.assignee(team, pooled.id())).isNull();

        // refusals say what is wrong
        assertThat(api.put("/api/v1/routing_channel_rules/" + team.accountId(), admin, Map.of()).status()).isEqualTo(400);
        assertThat(api.put("/api/v1/routing_channel_rules/" + UUID.randomUUID(), admin, Map.of("department_id", team.departmentId()))
                .status()).isEqualTo(404);
        assertThat(api.put("/api/v1/routing_channel_rules/" + team.accountId(), ana.token(), Map.of("department_id", team.departmentId()))
                .status()).isEqualTo(403);
        assertThat(api.delete("/api/v1/routing_channel_rules/" + team.accountId(), admin).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/routing_channel_rules/" + team.accountId(), admin).status()).isEqualTo(404);
    }

    @Test
    void anUrgentConversationRunsOnTheUrgentPolicyAndEveryOtherPriorityOnTheGeneralOne() {
        Team team = fixtures.team("SLA Per Priority", "round_robin");
        String admin = team.tenant().adminToken();
        String policies = "/api/v1/departments/" + team.departmentId() + "/sla_policies";
        assertThat(api.put(policies, admin, Map.of("priority", "urgent", "first_response_seconds", 60, "resolution_seconds", 3600))
                .status()).isEqualTo(200);
        java.util.HashMap<String, Object> general = new java.util.HashMap<>(Map.of("first_response_seconds", 600, "resolution_seconds", 7200));
        general.put("priority", null);
        assertThat(api.put(policies, admin, general).status()).isEqualTo(200);
        assertThat(api.get(policies, admin).json().get("items")).hasSize(2);

        Conversation urgent = fixtures.customer(team, phone());
        Conversation normal = fixtures.customer(team, phone());
        TenantScope.run(team.id(), () -> {
            work.setPriority(urgent.id(), "urgent", null);
            conversations.handOffToQueue(urgent.id(), "Escalated: customer asked for a person", false, null);
            conversations.handOffToQueue(normal.id(), "Escalated: customer asked for a person", false, null);
        });
        assertThat(targets(team, urgent.id())).containsExactly(60L, 3600L);
        assertThat(targets(team, normal.id())).containsExactly(600L, 7200L);
    }

    /** The first response and resolution targets of the conversation's SLA clock, in seconds from its start. */
    private List<Long> targets(Team team, UUID conversationId) {
        return TenantScope.call(team.id(), () -> jdbc.sql("""
                        select extract(epoch from first_response_due - started_at)::bigint, extract(epoch from resolution_due - started_at)::bigint
                        from sla_timers where conversation_id = ?""").param(conversationId)
                .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2))).single());
    }
}
