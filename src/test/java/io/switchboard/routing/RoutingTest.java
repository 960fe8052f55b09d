package io.switchboard.routing;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.SenderType;
import io.switchboard.database.TenantScope;
import io.switchboard.routing.RoutingFixtures.Person;
import io.switchboard.routing.RoutingFixtures.Team;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.ConversationHistory;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Distribution over a real team: people with presence and capacities in a department, conversations handed off
 * as the AI does, each method's choice observed on the conversations themselves.
 */
@IntegrationTest
@Import(RoutingFixtures.class)
class RoutingTest {

    private static final Duration ASSIGNED_WITHIN = Duration.ofSeconds(10);

    @Autowired
    RoutingFixtures fixtures;

    @Autowired
    ApiClient api;

    @Autowired
    Conversations conversations;

    @Autowired
    Router router;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AiFixtures ai;

    @Autowired
    Channels channels;

    private int phones;

    private String phone() {
        return "+55119%08d".formatted(Math.abs(UUID.randomUUID().hashCode() % 100_000_000) + phones++);
    }

    private UUID assignedTo(Team team, Conversation conversation) {
        await().atMost(ASSIGNED_WITHIN).pollInterval(Duration.ofMillis(20))
                .until(() -> fixtures.assignee(team, conversation.id()) != null);
        return fixtures.assignee(team, conversation.id());
    }

    @Test
    void roundRobinGivesEachConversationToWhoeverWaitedLongestAndNeverToAwayOrOfflinePeople() {
        Team team = fixtures.team("Round Robin", "round_robin");
        Person ana = fixtures.person(team, "Ana", "online", Map.of());
        Person bia = fixtures.person(team, "Bia", "online", Map.of());
        Person caio = fixtures.person(team, "Caio", "away", Map.of());
        Person duda = fixtures.person(team, "Duda", "offline", Map.of());

        List<UUID> owners = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            owners.add(assignedTo(team, fixtures.handOff(team, phone())));
        }

        // never-assigned first (by name), then the one whose last assignment is oldest
        assertThat(owners).containsExactly(ana.id(), bia.id(), ana.id(), bia.id());
        assertThat(owners).doesNotContain(caio.id(), duda.id());
    }

    @Test
    void byLoadPicksTheFewestOpenConversationsForTheirCapacityAndNobodyBeyondIt() {
        Team team = fixtures.team("By Load", "by_load");
        Person small = fixtures.person(team, "Ana", "online", Map.of("max_conversations", 1));
        Person large = fixtures.person(team, "Bia", "online", Map.of("max_conversations", 3));

        List<UUID> owners = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            owners.add(assignedTo(team, fixtures.handOff(team, phone())));
        }
        // 0/1 vs 0/3 tie → Ana (round robin); then Ana is full (1/1): Bia takes the rest up to her 3
        assertThat(owners).containsExactly(small.id(), large.id(), large.id(), large.id());

        Conversation fifth = fixtures.handOff(team, phone());
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
                .until(() -> fixtures.assignee(team, fifth.id()) == null);
        assertThat(queue(team)).as("everyone at capacity: it waits in the queue").containsExactly(fifth.id().toString());

        // capacity frees up → the waiting conversation is assigned at once
        fixtures.close(team, conversationOf(team, small.id()));
        assertThat(assignedTo(team, fifth)).isEqualTo(small.id());
        assertThat(queue(team)).isEmpty();
    }

    @Test
    void bySpecialtyPrefersAMemberWithTheRequestedSpecialtyAndFallsBackToLoad() {
        Team team = fixtures.team("By Specialty", "by_specialty");
        Person generalist = fixtures.person(team, "Ana", "online", Map.of());
        Person billing = fixtures.person(team, "Bia", "online", Map.of("specialties", List.of("financeiro")));

        Conversation wantsBilling = fixtures.customer(team, phone());
        assertThat(api.post("/api/v1/conversations/" + wantsBilling.id() + "/transfer", team.tenant().agentToken(),
                Map.of("department_id", team.departmentId(), "specialty", "financeiro")).status()).isEqualTo(204);
        assertThat(assignedTo(team, wantsBilling)).isEqualTo(billing.id());

        // no specialty asked: the least loaded (Ana has none, Bia one)
        assertThat(assignedTo(team, fixtures.handOff(team, phone()))).isEqualTo(generalist.id());
    }

    @Test
    void byPerformancePrefersTheBetterResolverAndIsNeutralWithoutData() {
        Team team = fixtures.team("By Performance", "by_performance");
        Person resolver = fixtures.person(team, "Bia", "online", Map.of());
        for (int i = 0; i < 5; i++) {
            Conversation c = fixtures.handOff(team, phone());
            assertThat(assignedTo(team, c)).isEqualTo(resolver.id());
            fixtures.close(team, c.id());
        }
        Person newcomer = fixtures.person(team, "Ana", "online", Map.of());

        // round robin would pick Ana (never assigned, and first by name); Bia's 5/5 resolutions score higher
        assertThat(assignedTo(team, fixtures.handOff(team, phone()))).isEqualTo(resolver.id());
        assertThat(newcomer).isNotNull();
    }

    @Test
    void byPerformanceGivesTheConversationToTheBetterRatedPersonWhenEverythingElseIsEqual() {
        Team team = fixtures.team("By Satisfaction", "by_performance");
        Person ana = fixtures.person(team, "Ana", "online", Map.of());
        Person bia = fixtures.person(team, "Bia", "online", Map.of());
        // no assignments or SLA clocks for either: only their customers' answers differ (Ana 2 of 5, Bia 5 of 5)
        ConversationHistory history = new ConversationHistory(jdbc, team.id(), team.accountId());
        String yesterday = Instant.now().minus(Duration.ofDays(1)).toString();
        String closed = Instant.now().minus(Duration.ofHours(23)).toString();
        TenantScope.run(team.id(), () -> {
            history.survey(history.conversation(null, ana.id(), yesterday, closed), null, ana.id(), 2);
            history.survey(history.conversation(null, bia.id(), yesterday, closed), null, bia.id(), 5);
        });

        // round robin would pick Ana (first by name); Bia scores 0.2 + 0.2 + 0.2 × 1.0 against Ana's 0.2 + 0.2 + 0.2 × 0.25
        assertThat(assignedTo(team, fixtures.handOff(team, phone()))).isEqualTo(bia.id());
    }

    @Test
    void percentageOverAThousandAssignmentsMeetsEachWeightWithinFivePercent() {
        Team team = fixtures.team("Percentage", "percentage");
        Person a = fixtures.person(team, "Ana", "online", Map.of("weight", 50));
        Person b = fixtures.person(team, "Bia", "online", Map.of("weight", 30));
        Person c = fixtures.person(team, "Caio", "online", Map.of("weight", 20));
        int total = 1000;
        queueMany(team, total);

        long started = System.nanoTime();
        int assigned = router.drain(team.id(), team.departmentId());
        await().atMost(Duration.ofSeconds(60)).until(() -> queue(team).isEmpty());
        System.out.printf("[routing] %d percentage assignments in %d ms%n", total, (System.nanoTime() - started) / 1_000_000);

        Map<UUID, Integer> counts = TenantScope.call(team.id(), () -> {
            Map<UUID, Integer> byUser = new HashMap<>();
            jdbc.sql("select user_id, count(*) from routing_assignments where department_id = ? group by user_id")
                    .param(team.departmentId()).query((rs, n) -> byUser.put(rs.getObject(1, UUID.class), rs.getInt(2))).list();
            return byUser;
        });
        assertThat(assigned).isPositive();
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(total);
        assertThat(counts.get(a.id()) / (double) total).isCloseTo(0.50, org.assertj.core.data.Offset.offset(0.05));
        assertThat(counts.get(b.id()) / (double) total).isCloseTo(0.30, org.assertj.core.data.Offset.offset(0.05));
        assertThat(counts.get(c.id()) / (double) total).isCloseTo(0.20, org.assertj.core.data.Offset.offset(0.05));
    }

    @Test
    void aReturningContactGoesBackToTheirPreviousPersonWhenThatPersonIsOnline() {
        Team team = fixtures.team("Sticky", "round_robin");
        Person ana = fixtures.person(team, "Ana", "online", Map.of());
        Person bia = fixtures.person(team, "Bia", "online", Map.of());
        String returning = phone();
        Conversation first = fixtures.handOff(team, returning);
        assertThat(assignedTo(team, first)).isEqualTo(ana.id());
        fixtures.close(team, first.id());

        // round robin alone would now choose Bia
        Conversation again = fixtures.handOff(team, returning);
        assertThat(assignedTo(team, again)).isEqualTo(ana.id());
        assertThat(fixtures.history(team, again.id())).contains("assigned_by_round_robin");
        String why = TenantScope.call(team.id(), () -> jdbc.sql("select reason from routing_assignments where conversation_id = ?")
                .param(again.id()).query(String.class).single());
        assertThat(why).contains("previous person");

        // the previous person away: the method decides
        fixtures.setPresence(ana, "away");
        fixtures.close(team, again.id());
        assertThat(assignedTo(team, fixtures.handOff(team, returning))).isEqualTo(bia.id());
    }

    @Test
    void anAiEscalationIsAssignedToAnOnlinePersonOfTheDepartmentWithinASecond() {
        WireMockServer fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        fake.stubFor(post(urlEqualTo(AiFixtures.COMPLETIONS)).willReturn(AiFixtures.answer("Oi!", 50, 0, 10)));
        var setup = ai.create("Escalation Routing", Map.of("context_timer_seconds", 0, "response_delay_min", 0,
                "response_delay_max", 0), List.of(), true);
        var created = api.post("/api/v1/departments", setup.tenant().adminToken(), Map.of("name", "Suporte", "is_default", true));
        Team team = new Team(setup.tenant(), setup.accountId(), UUID.fromString(created.json().get("id").asString()));
        fixtures.person(team, "Ana", "away", Map.of());
        Person online = fixtures.person(team, "Bia", "online", Map.of());

        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), phone(),
                "Quero falar com um atendente, por favor");

        await().atMost(Duration.ofSeconds(20)).until(() -> TenantScope.call(team.id(), () -> jdbc.sql(
                "select count(*) from routing_assignments where department_id = ?").param(team.departmentId()).query(Integer.class).single()) == 1);
        var timing = TenantScope.call(team.id(), () -> jdbc.sql("""
                        select a.user_id, a.assigned_at, e.created_at as handed_off_at from routing_assignments a
                        join conversation_events e on e.conversation_id = a.conversation_id and e.type = 'handed_off'
                        where a.department_id = ?""").param(team.departmentId())
                .query((rs, n) -> new Object[]{rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant()})
                .single());
        assertThat(timing[0]).isEqualTo(online.id());
        assertThat(Duration.between((Instant) timing[2], (Instant) timing[1])).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void withNobodyOnlineAConversationWaitsAndIsAssignedTheMomentSomeoneComesOnline() {
        Team team = fixtures.team("Nobody Online", "round_robin");
        Person ana = fixtures.person(team, "Ana", "offline", Map.of());
        Conversation waiting = fixtures.handOff(team, phone());
        Conversation later = fixtures.handOff(team, phone());

        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> fixtures.assignee(team, waiting.id()) == null);
        var queued = api.get("/api/v1/departments/" + team.departmentId() + "/queue", team.tenant().agentToken());
        assertThat(queued.json().get("items").get(0).get("conversation_id").asString()).isEqualTo(waiting.id().toString());

        fixtures.setPresence(ana, "online");
        assertThat(assignedTo(team, waiting)).isEqualTo(ana.id());
        assertThat(assignedTo(team, later)).isEqualTo(ana.id());
        assertThat(queue(team)).isEmpty();
    }

    @Test
    void aDepartmentMaximumHoldsWhateverThePeopleCouldTake() {
        Team team = fixtures.team("Department Cap", "round_robin");
        api.patch("/api/v1/departments/" + team.departmentId(), team.tenant().adminToken(), Map.of("max_conversations", 2));
        fixtures.person(team, "Ana", "online", Map.of());
        fixtures.person(team, "Bia", "online", Map.of());
        assignedTo(team, fixtures.handOff(team, phone()));
        assignedTo(team, fixtures.handOff(team, phone()));
        Conversation third = fixtures.handOff(team, phone());
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> fixtures.assignee(team, third.id()) == null);
        assertThat(queue(team)).containsExactly(third.id().toString());
    }

    @Test
    void anSlaBreachIsAnEventAndMovesTheConversationToAnotherAvailableMember() {
        Team team = fixtures.team("Sla Breach", "round_robin");
        assertThat(api.put("/api/v1/departments/" + team.departmentId() + "/sla_policies", team.tenant().adminToken(),
                Map.of("first_response_seconds", 1, "resolution_seconds", 3600, "redistribute_on_breach", true)).status()).isEqualTo(200);
        Person ana = fixtures.person(team, "Ana", "online", Map.of());
        Person bia = fixtures.person(team, "Bia", "online", Map.of());

        Conversation late = fixtures.handOff(team, phone());
        assertThat(assignedTo(team, late)).isEqualTo(ana.id());

        // Ana does not answer within a second: breach, and the conversation goes to Bia
        await().atMost(Duration.ofSeconds(10)).until(() -> bia.id().equals(fixtures.assignee(team, late.id())));
        // the breach and the transfer it causes are one moment (one transaction): their order between them is not fixed
        assertThat(fixtures.history(team, late.id())).containsSubsequence("assigned_by_round_robin", "transferred",
                "assigned_by_round_robin").contains("sla_breached_first_response");

        // a conversation answered in time counts as met; the breach stays Ana's
        api.put("/api/v1/departments/" + team.departmentId() + "/sla_policies", team.tenant().adminToken(),
                Map.of("first_response_seconds", 120, "resolution_seconds", 3600));
        Conversation onTime = fixtures.handOff(team, phone());
        UUID owner = assignedTo(team, onTime);
        TenantScope.run(team.id(), () -> conversations.postOutbound(onTime.id(), SenderType.AGENT, owner, null, "Oi, aqui é a equipe!", null, null, false));
        Instant now = Instant.now();
        var figures = api.get("/api/v1/sla_figures?from=" + now.minusSeconds(600) + "&to=" + now.plusSeconds(60), team.tenant().adminToken());
        assertThat(figures.status()).as(figures.body()).isEqualTo(200);
        Map<String, long[]> byPerson = new HashMap<>();
        for (var row : figures.json().get("items")) {
            byPerson.put(row.get("user_id").asString(), new long[]{row.get("first_response_met").asLong(),
                    row.get("first_response_breached").asLong()});
        }
        assertThat(byPerson.get(ana.id().toString())[1]).as("Ana's breach").isEqualTo(1);
        assertThat(byPerson.get(owner.toString())[0]).as("the answered one is met").isEqualTo(1);
        assertThat(byPerson.values().stream().mapToLong(v -> v[1]).sum()).isEqualTo(1);
    }

    @Test
    void withAssignToAiAgentNewConversationsGoToPeopleAndAiAgentsFromOnePoolWithinTheAgentsCapacity() {
        Team team = fixtures.team("Shared Pool", "round_robin");
        api.patch("/api/v1/departments/" + team.departmentId(), team.tenant().adminToken(), Map.of("assign_to_ai_agent", true,
                "is_default", true));
        UUID lia = TenantScope.call(team.id(), () -> jdbc.sql("""
                        insert into ai_agents (organization_id, name, max_conversations, settings)
                        values (?, 'Lia', 1, '{"context_timer_seconds": 3600}') returning id""")
                .param(team.id()).query(UUID.class).single());
        assertThat(api.post("/api/v1/departments/" + team.departmentId() + "/members", team.tenant().adminToken(),
                Map.of("ai_agent_id", lia)).status()).isEqualTo(201);
        Person ana = fixtures.person(team, "Ana", "online", Map.of());

        // never-assigned first, by name: Ana, then the AI agent Lia; Lia is then at her 1 conversation, so Ana again
        Conversation first = fixtures.customer(team, phone());
        assertThat(assignedTo(team, first)).isEqualTo(ana.id());
        Conversation second = fixtures.customer(team, phone());
        await().atMost(ASSIGNED_WITHIN).until(() -> lia.equals(TenantScope.call(team.id(), () -> conversations.find(second.id()).aiAgentId())));
        assertThat(fixtures.assignee(team, second.id())).isNull();
        assertThat(fixtures.history(team, second.id())).contains("assigned_to_ai_agent", "assigned_by_round_robin");
        Conversation third = fixtures.customer(team, phone());
        assertThat(assignedTo(team, third)).isEqualTo(ana.id());

        // Ana away and Lia full: the account has no AI agent to fall back on, so the new conversation waits in the
        // queue and goes to Ana when she is back
        fixtures.setPresence(ana, "away");
        Conversation fourth = fixtures.customer(team, phone());
        await().atMost(ASSIGNED_WITHIN).until(() -> !queue(team).isEmpty());
        assertThat(fixtures.assignee(team, fourth.id())).isNull();
        fixtures.setPresence(ana, "online");
        assertThat(assignedTo(team, fourth)).isEqualTo(ana.id());
        assertThat(queue(team)).isEmpty();
    }

    @Test
    void badInputIsRefusedWithAClearProblem() {
        Team team = fixtures.team("Bad Input", "round_robin");
        String admin = team.tenant().adminToken();
        var badMethod = api.post("/api/v1/departments", admin, Map.of("name", "X", "assignment_method", "lottery"));
        assertThat(badMethod.status()).isEqualTo(400);
        assertThat(api.post("/api/v1/departments", admin, Map.of("name", "Suporte")).status()).isEqualTo(409);
        assertThat(api.post("/api/v1/departments", admin, Map.of("name", " ")).status()).isEqualTo(400);
        Team other = fixtures.team("Other Tenant", "round_robin");
        var foreign = api.post("/api/v1/departments/" + team.departmentId() + "/members", admin, Map.of("user_id", other.tenant().agent().id()));
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.body()).contains("does not exist");
        assertThat(api.post("/api/v1/departments/" + team.departmentId() + "/members", admin,
                Map.of("user_id", team.tenant().agent().id(), "weight", -1)).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/departments/" + other.departmentId(), admin).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/departments", team.tenant().agentToken(), Map.of("name", "Vendas")).status()).isEqualTo(403);
        assertThat(api.put("/api/v1/me/presence", team.tenant().agentToken(), Map.of("presence", "busy")).status()).isEqualTo(400);
    }

    private List<String> queue(Team team) {
        return TenantScope.call(team.id(), () -> jdbc.sql("select conversation_id::text from routing_queue where department_id = ? order by enqueued_at")
                .param(team.departmentId()).query(String.class).list());
    }

    private UUID conversationOf(Team team, UUID userId) {
        return TenantScope.call(team.id(), () -> jdbc.sql("select id from conversations where agent_id = ? and status <> 'closed' limit 1")
                .param(userId).query(UUID.class).single());
    }

    /** Many customers waiting at once (written in bulk: the assignments, not the set-up, are under test). */
    private void queueMany(Team team, int count) {
        api.patch("/api/v1/departments/" + team.departmentId(), team.tenant().adminToken(), Map.of("auto_assign", false));
        TenantScope.run(team.id(), () -> {
            jdbc.sql("""
                    with c as (insert into contacts (organization_id, name, phone)
                               select ?, 'Cliente ' || g, '+5511' || g from generate_series(1, ?) g returning id),
                         v as (insert into conversations (organization_id, contact_id, channel_account_id, channel_type, queue_tab, status)
                               select ?, id, ?, 'twilio', 'WHATSAPP', 'waiting' from c returning id)
                    insert into routing_queue (conversation_id, organization_id, department_id, reason)
                    select id, ?, ?, 'bulk' from v""")
                    .params(team.id(), count, team.id(), team.accountId(), team.id(), team.departmentId()).update();
        });
        api.patch("/api/v1/departments/" + team.departmentId(), team.tenant().adminToken(), Map.of("auto_assign", true));
    }
}
