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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The second pass over distribution: the customer hears which team takes over, AI agents out of their limits
 * take no conversations (a channel account's own department: {@code RoutingHoursAndChannelsTest}).
 */
@IntegrationTest
@Import(RoutingFixtures.class)
class RoutingGapsTest {

    private static final Duration ASSIGNED_WITHIN = Duration.ofSeconds(10);

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

    private static String phone() {
        return "+55118%08d".formatted(Math.abs(UUID.randomUUID().hashCode() % 100_000_000));
    }

    private UUID assignedTo(Team team, Conversation conversation) {
        await().atMost(ASSIGNED_WITHIN).pollInterval(Duration.ofMillis(20))
                .until(() -> fixtures.assignee(team, conversation.id()) != null);
        return fixtures.assignee(team, conversation.id());
    }

    /** The system's words to the customer of the conversation the phone opened, once there are any. */
    private String transitionTo(Team team, String phone) {
        await().atMost(Duration.ofSeconds(20)).until(() -> systemMessage(team, phone).isPresent());
        return systemMessage(team, phone).orElseThrow();
    }

    private Optional<String> systemMessage(Team team, String phone) {
        return TenantScope.call(team.id(), () -> jdbc.sql("""
                        select m.content from messages m join conversations c on c.id = m.conversation_id
                        join contacts k on k.id = c.contact_id
                        where m.sender_type = 'system' and k.phone = ? order by m.created_at limit 1""")
                .param(phone).query(String.class).optional());
    }

    @Test
    void theCustomersTransitionMessageNamesTheTeamInTheOrganizationsLanguage() {
        WireMockServer fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        fake.stubFor(post(urlEqualTo(AiFixtures.COMPLETIONS)).willReturn(AiFixtures.answer("Oi!", 50, 0, 10)));
        var setup = ai.create("Team In Handoff", Map.of("context_timer_seconds", 0, "response_delay_min", 0,
                "response_delay_max", 0), List.of(), true);
        var created = api.post("/api/v1/departments", setup.tenant().adminToken(), Map.of("name", "Suporte", "is_default", true));
        Team team = new Team(setup.tenant(), setup.accountId(), UUID.fromString(created.json().get("id").asString()));
        Person bia = fixtures.person(team, "Bia", "online", Map.of());

        String first = phone();
        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), first,
                "Quero falar com um atendente, por favor");
        assertThat(transitionTo(team, first)).contains("Vou transferir você para a equipe de Suporte");

        // the same organization speaking English, its team renamed
        TenantScope.run(team.id(), () -> jdbc.sql("update organizations set locale = 'en' where id = ?").param(team.id()).update());
        api.patch("/api/v1/departments/" + team.departmentId(), setup.tenant().adminToken(), Map.of("name", "Support"));
        String second = phone();
        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), second,
                "I want to talk to a human agent, please");
        assertThat(transitionTo(team, second)).contains("I'm transferring you to the Support team");
        await().atMost(ASSIGNED_WITHIN).until(() -> TenantScope.call(team.id(), () -> jdbc.sql(
                "select count(*) from routing_assignments where department_id = ? and user_id = ?")
                .params(team.departmentId(), bia.id()).query(Integer.class).single()) == 2);
    }

    @Test
    void anAiAgentWhoseLimitsAreExhaustedTakesNoConversationsUntilTheyFreeUp() {
        Team team = fixtures.team("Exhausted Agent", "round_robin");
        api.patch("/api/v1/departments/" + team.departmentId(), team.tenant().adminToken(), Map.of("assign_to_ai_agent", true,
                "is_default", true));
        UUID lia = TenantScope.call(team.id(), () -> jdbc.sql("""
                        insert into ai_agents (organization_id, name, settings)
                        values (?, 'Lia', '{"context_timer_seconds": 3600, "rate_limits": {"requests_per_day": 1}}') returning id""")
                .param(team.id()).query(UUID.class).single());
        assertThat(api.post("/api/v1/departments/" + team.departmentId() + "/members", team.tenant().adminToken(),
                Map.of("ai_agent_id", lia)).status()).isEqualTo(201);
        Person ana = fixtures.person(team, "Ana", "online", Map.of());
        // Lia already made her one LLM call of the day
        TenantScope.run(team.id(), () -> jdbc.sql("insert into llm_calls (organization_id, ai_agent_id, model, outcome) values (?, ?, 'gpt-4o-mini', 'ok')")
                .params(team.id(), lia).update());

        // round robin would alternate Ana, Lia, Ana...; with Lia out of requests everything goes to Ana
        for (int i = 0; i < 3; i++) {
            Conversation opened = fixtures.customer(team, phone());
            assertThat(assignedTo(team, opened)).isEqualTo(ana.id());
            assertThat(TenantScope.call(team.id(), () -> conversations.find(opened.id()).aiAgentId())).isNotEqualTo(lia);
        }

        // her day's call no longer counts: she takes the next new conversation again
        TenantScope.run(team.id(), () -> jdbc.sql("update llm_calls set created_at = now() - interval '2 days' where ai_agent_id = ?")
                .param(lia).update());
        Conversation next = fixtures.customer(team, phone());
        await().atMost(ASSIGNED_WITHIN).until(() -> lia.equals(TenantScope.call(team.id(), () -> conversations.find(next.id()).aiAgentId())));
        assertThat(fixtures.assignee(team, next.id())).isNull();
    }
}
