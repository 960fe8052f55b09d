package io.switchboard.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.database.ClusterSignals;
import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Agents are kept on each node between changes (every message and turn reads them): a change through the API is
 * seen by the next read, another node's change once its signal arrives, and a conversation limit's live count is
 * never kept.
 */
@IntegrationTest
class AgentCacheTest {

    private static final String AGENTS = "/api/v1/ai_agents";

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    AiAgents agents;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ClusterSignals signals;

    @Test
    void aChangeIsSeenByTheNextReadHereAndOnceItsSignalArrivesElsewhere() {
        var tenant = tenants.create("Agents kept");
        UUID id = UUID.fromString(api.post(AGENTS, tenant.adminToken(), Map.of("name", "Bia", "prompt", "Seja breve."))
                .json().get("id").asString());
        assertThat(tenant.scoped(() -> agents.find(id)).orElseThrow().prompt()).isEqualTo("Seja breve.");

        var patched = api.patch(AGENTS + "/" + id, tenant.adminToken(), Map.of("prompt", "Seja gentil.", "enabled", false));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        var read = tenant.scoped(() -> agents.find(id)).orElseThrow();
        assertThat(read.prompt()).isEqualTo("Seja gentil.");
        assertThat(read.enabled()).isFalse();

        // another node changes the row and signals, as its AiAgents would
        tenant.scoped(() -> jdbc.sql("update ai_agents set prompt = 'Fale português.' where id = ?").param(id).update());
        signals.publish("ai_agents_changed", tenant.id().toString());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(tenant.scoped(() -> agents.find(id)).orElseThrow().prompt()).isEqualTo("Fale português."));

        var other = tenants.create("Agents kept elsewhere");
        assertThat(other.scoped(() -> agents.find(id))).as("another organization never gets it from the cache").isEmpty();
    }

    @Test
    void anAgentWithAConversationLimitCountsItsConversationsOnEveryRead() {
        var tenant = tenants.create("Agents counted");
        UUID id = UUID.fromString(api.post(AGENTS, tenant.adminToken(), Map.of("name", "Caio", "max_conversations", 5))
                .json().get("id").asString());
        assertThat(tenant.scoped(() -> agents.find(id)).orElseThrow().currentConversations()).isZero();

        tenant.scoped(() -> {
            UUID contact = jdbc.sql("insert into contacts (organization_id, name) values (?, 'Ana') returning id")
                    .param(tenant.id()).query(UUID.class).single();
            UUID account = jdbc.sql("insert into channel_accounts (organization_id, type, name) values (?, 'webchat', 'Site') returning id")
                    .param(tenant.id()).query(UUID.class).single();
            return jdbc.sql("""
                    insert into conversations (organization_id, contact_id, channel_account_id, channel_type, queue_tab, status, ai_agent_id)
                    values (?, ?, ?, 'webchat', 'SUPPORT', 'open', ?)""").params(tenant.id(), contact, account, id).update();
        });
        assertThat(tenant.scoped(() -> agents.find(id)).orElseThrow().currentConversations()).isEqualTo(1);
    }
}
