package io.switchboard.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.database.ClusterSignals;
import io.switchboard.database.TenantScope;
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
 * Channel accounts are kept on each node (every webhook and delivery reads one): a change is seen by the next
 * webhook, another node's change once its signal arrives, and a tenant never sees another tenant's account.
 */
@IntegrationTest
class ChannelAccountsKeptTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    ChannelAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ClusterSignals signals;

    @Test
    void aChangedAccountIsSeenByTheNextWebhookAndOnlyByItsOwnTenant() {
        var tenant = tenants.create("Accounts kept");
        var created = api.post("/api/v1/channel_accounts", tenant.adminToken(), Map.of("type", "twilio", "name", "WhatsApp",
                "config", Map.of("account_sid", "AC" + "1".repeat(32), "from", "whatsapp:+5511999990000", "auth_token", "first-token")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        UUID id = UUID.fromString(created.json().get("id").asString());

        ChannelAccount seen = accounts.findForWebhook(id).orElseThrow();
        assertThat(seen.enabled()).isTrue();
        assertThat(accounts.secrets(seen)).containsEntry("auth_token", "first-token");

        var patched = api.patch("/api/v1/channel_accounts/" + id, tenant.adminToken(),
                Map.of("enabled", false, "config", Map.of("auth_token", "second-token")));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        ChannelAccount after = accounts.findForWebhook(id).orElseThrow();
        assertThat(after.enabled()).as("a disabled account stops taking webhooks at once").isFalse();
        assertThat(accounts.secrets(after)).as("a new token signs the next webhook").containsEntry("auth_token", "second-token");

        var other = tenants.create("Accounts of others");
        assertThat(other.scoped(() -> accounts.findOptional(id))).as("another tenant never gets it from the cache").isEmpty();
        assertThat(TenantScope.call(tenant.id(), () -> accounts.findOptional(id))).isPresent();

        // another node renames it and signals, as its ChannelAccounts would
        tenant.scoped(() -> jdbc.sql("update channel_accounts set name = 'Loja' where id = ?").param(id).update());
        signals.publish("channel_accounts_changed", tenant.id().toString());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(accounts.findForWebhook(id).orElseThrow().name()).isEqualTo("Loja"));
    }
}
