package io.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.SwitchboardApplication;
import io.switchboard.conversation.Conversations;
import io.switchboard.database.TenantScope;
import io.switchboard.routing.RoutingFixtures.Team;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import io.switchboard.support.IntegrationTest;

/**
 * Two application instances on one database: the test's own instance and a second one started beside it on the
 * same PostgreSQL (its own pool, scheduler, routing thread and cluster signals). 200 escalations are handed off
 * at once, half through each instance, to a team that can hold 150: each conversation is assigned exactly once,
 * no person ever holds more than their capacity, and the 50 that waited are assigned as capacity frees up.
 *
 * <p>Two Spring contexts in one JVM rather than two JVMs ({@code TwoNodesTest}): the claim under test is that
 * PostgreSQL (the organization's advisory lock, the queue row consumed in the assignment's transaction) keeps two
 * instances apart, and nothing else is shared between the contexts — no routing state is static (tenant scope is a
 * thread-local), each has its own connection pool, routing thread, sweeps and db-scheduler. A child JVM would add
 * start-up time, not coverage.
 *
 * <p>{@code -Dswitchboard.cluster-tests=false} skips it, like {@code TwoNodesTest}.
 */
@IntegrationTest
@Import(RoutingFixtures.class)
@DisabledIfSystemProperty(named = "switchboard.cluster-tests", matches = "false")
class TwoInstancesRoutingTest {

    private static final int ESCALATIONS = 200;
    private static final int PEOPLE = 5;
    private static final int CAPACITY = 30;

    @Autowired
    RoutingFixtures fixtures;

    @Autowired
    Conversations conversations;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    QueueKicks kicks;

    @Autowired
    com.github.kagkarlsson.scheduler.Scheduler scheduler;

    private ConfigurableApplicationContext second;

    @AfterEach
    void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void twoHundredConcurrentEscalationsOnTwoInstancesAreEachAssignedOnceWithinCapacity() throws Exception {
        second = startSecondInstance();
        Conversations secondConversations = second.getBean(Conversations.class);
        // really two instances: nothing but the database is shared (pools, routing threads, schedulers are their own)
        assertThat(second.getBean(DataSource.class)).isNotSameAs(dataSource);
        assertThat(second.getBean(QueueKicks.class)).isNotSameAs(kicks);
        assertThat(second.getBean(com.github.kagkarlsson.scheduler.Scheduler.class)).isNotSameAs(scheduler);
        Team team = fixtures.team("Two Instances", "by_load");
        for (int i = 0; i < PEOPLE; i++) {
            fixtures.person(team, "Pessoa " + i, "online", Map.of("max_conversations", CAPACITY));
        }
        List<UUID> waiting = new ArrayList<>();
        for (int i = 0; i < ESCALATIONS; i++) {
            waiting.add(fixtures.customer(team, "+5511966%06d".formatted(i)).id());
        }

        long started = System.nanoTime();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Void>> handoffs = new ArrayList<>();
            for (int i = 0; i < waiting.size(); i++) {
                UUID conversation = waiting.get(i);
                Conversations node = i % 2 == 0 ? conversations : secondConversations;
                handoffs.add(CompletableFuture.runAsync(() -> TenantScope.run(team.id(),
                        () -> node.handOffToQueue(conversation, "Escalated: customer asked for a person", false, null)), callers));
            }
            CompletableFuture.allOf(handoffs.toArray(CompletableFuture[]::new)).join();
        } finally {
            callers.shutdown();
        }

        int held = PEOPLE * CAPACITY;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> assignments(team) == held);
        System.out.printf("[routing] %d escalations over 2 instances: %d assigned in %d ms, %d waiting%n", ESCALATIONS, held,
                (System.nanoTime() - started) / 1_000_000, queued(team));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> assignments(team) == held);
        assertThat(queued(team)).isEqualTo(ESCALATIONS - held);
        assertEachAssignedAtMostOnceAndNobodyOverCapacity(team);

        // people finish 60 conversations: the 50 waiting are assigned, oldest first, still within capacity
        List<UUID> done = TenantScope.call(team.id(), () -> jdbc.sql(
                "select id from conversations where organization_id = ? and agent_id is not null limit 60").param(team.id()).query(UUID.class).list());
        done.forEach(id -> fixtures.close(team, id));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> assignments(team) == ESCALATIONS);
        assertThat(queued(team)).isZero();
        assertEachAssignedAtMostOnceAndNobodyOverCapacity(team);
        assertThat(distinctAssigned(team)).isEqualTo(ESCALATIONS);
    }

    private void assertEachAssignedAtMostOnceAndNobodyOverCapacity(Team team) {
        TenantScope.run(team.id(), () -> {
            assertThat(jdbc.sql("select coalesce(max(n), 0) from (select count(*) n from routing_assignments where organization_id = ? group by conversation_id) x")
                    .param(team.id()).query(Integer.class).single()).as("assignments of one conversation").isLessThanOrEqualTo(1);
            assertThat(jdbc.sql("""
                            select coalesce(max(n), 0) from (select count(*) n from conversation_events
                            where organization_id = ? and type = 'assigned' group by conversation_id) x""")
                    .param(team.id()).query(Integer.class).single()).as("'assigned' events of one conversation").isLessThanOrEqualTo(1);
            assertThat(jdbc.sql("""
                            select coalesce(max(n), 0) from (select count(*) n from conversations
                            where organization_id = ? and agent_id is not null and status <> 'closed' group by agent_id) x""")
                    .param(team.id()).query(Integer.class).single()).as("open conversations of one person").isLessThanOrEqualTo(CAPACITY);
        });
    }

    private int assignments(Team team) {
        return TenantScope.call(team.id(), () -> jdbc.sql("select count(*) from routing_assignments where organization_id = ?")
                .param(team.id()).query(Integer.class).single());
    }

    private int distinctAssigned(Team team) {
        return TenantScope.call(team.id(), () -> jdbc.sql("select count(distinct conversation_id) from routing_assignments where organization_id = ?")
                .param(team.id()).query(Integer.class).single());
    }

    private int queued(Team team) {
        return TenantScope.call(team.id(), () -> jdbc.sql("select count(*) from routing_queue where organization_id = ?")
                .param(team.id()).query(Integer.class).single());
    }

    /** A second instance of the application on the same database, as an operator's second node would run. */
    private ConfigurableApplicationContext startSecondInstance() throws Exception {
        String url;
        try (Connection connection = dataSource.getConnection()) {
            url = connection.getMetaData().getURL();
        }
        return new SpringApplicationBuilder(SwitchboardApplication.class).properties(Map.of(
                "server.port", "0",
                "switchboard.db.url", url,
                "switchboard.db.user", "switchboard",
                "switchboard.db.password", dataSource.unwrap(com.zaxxer.hikari.HikariDataSource.class).getPassword(),
                "switchboard.db.pool-size", "10",
                "switchboard.secret-key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                "switchboard.demo.enabled", "false",
                "db-scheduler.scheduler-name", "second-instance",
                "db-scheduler.polling-interval", "100ms",
                "management.server.port", "-1")).run();
    }
}
