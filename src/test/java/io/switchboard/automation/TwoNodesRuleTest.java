package io.switchboard.automation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.SwitchboardApplication;
import io.switchboard.channel.ChannelAccounts;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.InboundMessage;
import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.Tenants;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two application instances on one database, both running the job scheduler: customer messages stored half on each
 * fire a rule with ALL and ANY conditions exactly once per message — one webhook call each at the fake, one note
 * each, one run each in the log.
 *
 * <p>{@code -Dswitchboard.cluster-tests=false} skips it, like {@code TwoNodesTest}.
 */
@IntegrationTest
@DisabledIfSystemProperty(named = "switchboard.cluster-tests", matches = "false")
class TwoNodesRuleTest {

    private static final int MESSAGES = 40;

    @Autowired
    Tenants tenants;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Autowired
    Conversations conversations;

    @Autowired
    ChannelAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    private ConfigurableApplicationContext second;

    @AfterEach
    void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aRuleFiresExactlyOncePerEventWithTwoNodes() throws Exception {
        WireMockServer fake = ProviderFakes.fresh();
        fake.stubFor(post(urlEqualTo("/hooks/automation")).willReturn(aResponse().withStatus(204)));
        second = startSecondInstance();
        var tenant = tenants.create("Two Nodes Rule");
        UUID account = channels.twilioAccount(tenant, null);
        var rule = api.post("/api/v1/automations", tenant.adminToken(), Map.of("name", "Pedido", "event", "message_received",
                "conditions", Map.of("all", List.of(Map.of("field", "message_text", "operator", "contains", "value", "pedido")),
                        "any", List.of(Map.of("field", "tag", "operator", "has", "value", "vip"),
                                Map.of("field", "contact.phone", "operator", "contains", "value", "+55"))),
                "actions", List.of(Map.of("type", "call_webhook", "value", ProviderFakes.baseUrl() + "/hooks/automation"),
                        Map.of("type", "add_note", "value", "pedido visto"))));
        assertThat(rule.status()).as(rule.body()).isEqualTo(201);

        Conversations[] nodes = {conversations, second.getBean(Conversations.class)};
        var origin = TenantScope.call(tenant.id(), () -> accounts.find(account).origin());
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            Conversations node = nodes[i % 2];
            String phone = "+55119400%05d".formatted(i % 10);
            String text = i % 4 == 3 ? "oi, tudo bem?" : "meu pedido " + i;
            String messageId = "SM-two-nodes-" + i;
            sent.add(CompletableFuture.runAsync(() -> TenantScope.run(tenant.id(), () -> node.ingest(new InboundMessage(
                    tenant.id(), origin, "whatsapp:" + phone, "Cliente", phone, messageId, text, "text", null, null, null)))));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        int matching = MESSAGES - MESSAGES / 4;

        await().atMost(Duration.ofSeconds(30)).until(() -> count(tenant, "select count(*) from automation_runs where organization_id = ?") == MESSAGES);
        await().atMost(Duration.ofSeconds(15)).until(() -> fake.findAll(postRequestedFor(urlEqualTo("/hooks/automation"))).size() >= matching);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> fake.findAll(postRequestedFor(urlEqualTo("/hooks/automation"))).size() == matching);
        assertThat(count(tenant, "select count(*) from automation_runs where organization_id = ? and matched and error is null")).isEqualTo(matching);
        assertThat(count(tenant, "select count(*) from messages where organization_id = ? and private and content = 'pedido visto'"))
                .isEqualTo(matching);
    }

    private int count(Tenants.Tenant tenant, String sql) {
        return TenantScope.call(tenant.id(), () -> jdbc.sql(sql).param(tenant.id()).query(Integer.class).single());
    }

    /** A second instance of the application on the same database, as an operator's second node would run. */
    private ConfigurableApplicationContext startSecondInstance() throws Exception {
        String url;
        try (Connection connection = dataSource.getConnection()) {
            url = connection.getMetaData().getURL();
        }
        return new SpringApplicationBuilder(SwitchboardApplication.class).properties(Map.ofEntries(
                Map.entry("server.port", "0"),
                Map.entry("switchboard.db.url", url),
                Map.entry("switchboard.db.user", "switchboard"),
                Map.entry("switchboard.db.password", dataSource.unwrap(com.zaxxer.hikari.HikariDataSource.class).getPassword()),
                Map.entry("switchboard.db.pool-size", "10"),
                Map.entry("switchboard.secret-key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="),
                Map.entry("switchboard.demo.enabled", "false"),
                Map.entry("db-scheduler.scheduler-name", "second-instance"),
                Map.entry("db-scheduler.polling-interval", "100ms"),
                Map.entry("management.server.port", "-1")))
                // application.properties sets it from the environment, so only an argument overrides it here
                .run("--switchboard.outbound.allow-private-addresses=true");
    }
}
