package io.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.SignedInSession;
import io.switchboard.support.Tenants;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class TenantIsolationTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Channels channels;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aUserOfOneOrganizationGets404ForAnotherOrganizationsRecord() {
        var a = tenants.create("Alpha");
        var b = tenants.create("Beta");
        assertThat(api.get("/api/v1/users/" + b.agent().id(), a.adminToken()).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/users/" + a.agent().id(), a.adminToken()).status()).isEqualTo(200);
    }

    @Test
    void listsShowOnlyTheCallersOrganization() {
        var a = tenants.create("Gamma");
        var b = tenants.create("Delta");
        var users = api.get("/api/v1/users", a.agentToken()).json();
        assertThat(users.size()).isEqualTo(2);
        users.forEach(u -> assertThat(u.get("organization_id").asString()).isEqualTo(a.id().toString()));
        assertThat(users.toString()).doesNotContain(b.admin().email());
    }

    @Test
    void anAdminCannotChangeAnotherOrganizationsUser() {
        var a = tenants.create("Epsilon");
        var b = tenants.create("Zeta");
        var response = api.patch("/api/v1/users/" + b.agent().id(), a.adminToken(), Map.of("active", false));
        assertThat(response.status()).isEqualTo(404);
        assertThat(api.get("/api/v1/me", b.agentToken()).status()).as("B's agent still works").isEqualTo(200);
    }

    @Test
    void anAdminCannotRevokeAnotherOrganizationsToken() {
        var a = tenants.create("Eta");
        var b = tenants.create("Theta");
        var tokenOfB = api.get("/api/v1/api_tokens", b.adminToken()).json().get(0).get("id").asString();
        assertThat(api.delete("/api/v1/api_tokens/" + tokenOfB, a.adminToken()).status()).isEqualTo(404);
    }

    /** B's customer writes to B's Twilio number; returns B's conversation id as B's API shows it. */
    private String customerOf(Tenants.Tenant tenant, UUID account, String phone, String text) {
        assertThat(channels.twilioMessage(account, "SM" + UUID.randomUUID().toString().replace("-", ""), phone, text).status())
                .isEqualTo(200);
        JsonNode items = api.get("/api/v1/conversations", tenant.agentToken()).json().get("items");
        for (JsonNode c : items) {
            if (phone.equals(c.get("contact").get("phone").asString())) {
                return c.get("id").asString();
            }
        }
        throw new AssertionError("no conversation for " + phone + " in " + items);
    }

    @Test
    void anotherOrganizationsConversationsAndMessagesAreNotFoundNotListedAndNotSearchable() {
        var a = tenants.create("Iota");
        var b = tenants.create("Kappa");
        channels.twilioAccount(a, null);
        UUID accountOfB = channels.twilioAccount(b, null);
        String conversationOfB = customerOf(b, accountOfB, "+5511970000001", "pedido secreto de Conceição");

        assertThat(api.get("/api/v1/conversations/" + conversationOfB, a.agentToken()).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/conversations/" + conversationOfB + "/messages", a.agentToken()).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/conversations/" + conversationOfB + "/messages", a.agentToken(), Map.of("content", "oi")).status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/conversations?limit=200", a.agentToken()).json().get("items")).isEmpty();
        assertThat(api.get("/api/v1/conversations?q=" + URLEncoder.encode("secreto", StandardCharsets.UTF_8), a.agentToken())
                .json().get("items")).isEmpty();
        assertThat(api.get("/api/v1/conversations/counts", a.agentToken()).json().get("open").asLong()).isZero();
        // B still sees all of it
        assertThat(api.get("/api/v1/conversations/" + conversationOfB + "/messages", b.agentToken()).json().get("items").get(0)
                .get("content").asString()).isEqualTo("pedido secreto de Conceição");
        assertThat(api.get("/api/v1/conversations/counts", b.agentToken()).json().get("open").asLong()).isEqualTo(1);
    }

    @Test
    void theDatabaseRefusesAMessageWrittenIntoAnotherOrganizationsConversation() {
        var a = tenants.create("Lambda");
        var b = tenants.create("Mu");
        UUID accountOfB = channels.twilioAccount(b, null);
        UUID conversationOfB = UUID.fromString(customerOf(b, accountOfB, "+5511970000002", "oi"));

        assertThatThrownBy(() -> a.scoped(() -> jdbc.sql("""
                        insert into messages (organization_id, conversation_id, channel_account_id, direction, sender_type, content)
                        values (?, ?, ?, 'outbound', 'agent', 'injected')""")
                .params(b.id(), conversationOfB, accountOfB).update())).rootCause().hasMessageContaining("row-level security");
        // even a statement without any organization filter reads and changes nothing of B's
        assertThat(a.scoped(() -> jdbc.sql("select count(*) from messages").query(Long.class).single())).isZero();
        assertThat(a.scoped(() -> jdbc.sql("update conversations set status = 'closed'").update())).isZero();
        assertThat(b.scoped(() -> jdbc.sql("select status from conversations where id = ?").param(conversationOfB)
                .query(String.class).single())).isNotEqualTo("closed");
    }

    @Test
    void anotherOrganizationsChannelAccountCannotBeReadChangedOrDeleted() {
        var a = tenants.create("Nu");
        var b = tenants.create("Xi");
        UUID accountOfB = channels.twilioAccount(b, null);
        assertThat(api.get("/api/v1/channel_accounts/" + accountOfB, a.adminToken()).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/channel_accounts", a.adminToken()).body()).doesNotContain(accountOfB.toString());
        assertThat(api.patch("/api/v1/channel_accounts/" + accountOfB, a.adminToken(), Map.of("name", "mine now")).status())
                .isEqualTo(404);
        assertThat(api.delete("/api/v1/channel_accounts/" + accountOfB, a.adminToken()).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/channel_accounts/" + accountOfB, b.adminToken()).json().get("name").asString())
                .isEqualTo("WhatsApp Twilio");
    }

    @Test
    void aWebhookLandsOnlyInTheOrganizationWhoseAccountUrlItWasPostedTo() {
        var a = tenants.create("Omicron");
        var b = tenants.create("Pi");
        String tokenOfA = "auth-token-of-omicron";
        channels.create(a, Map.of("type", "twilio", "name", "A's number", "config",
                Map.of("account_sid", "AC123", "auth_token", tokenOfA, "from", "whatsapp:+14155230001")));
        UUID accountOfB = channels.twilioAccount(b, null);

        // signed with A's credentials but posted to B's account URL: refused, stored nowhere
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
        params.put("AccountSid", "AC123");
        params.put("From", "whatsapp:+5511970000003");
        params.put("To", "whatsapp:+14155230001");
        params.put("Body", "para a empresa A");
        params.put("NumMedia", "0");
        assertThat(channels.twilioPost("/webhooks/twilio/" + accountOfB, params, tokenOfA).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/conversations", a.agentToken()).json().get("items")).isEmpty();
        assertThat(api.get("/api/v1/conversations", b.agentToken()).json().get("items")).isEmpty();

        // posted to B's URL with B's credentials: B's inbox, never A's
        customerOf(b, accountOfB, "+5511970000004", "para a empresa B");
        assertThat(api.get("/api/v1/conversations", a.agentToken()).json().get("items")).isEmpty();
    }

    @Test
    void theLiveStreamOfOneOrganizationNeverCarriesAnotherOrganizationsConversation() throws Exception {
        var a = tenants.create("Rho");
        var b = tenants.create("Sigma");
        UUID accountOfA = channels.twilioAccount(a, null);
        UUID accountOfB = channels.twilioAccount(b, null);
        SignedInSession session = new SignedInSession(api.baseUrl(), a.agent().email());
        HttpResponse<InputStream> stream = session.http().send(
                HttpRequest.newBuilder(URI.create(api.baseUrl() + "/inbox/stream")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).isEqualTo("event:ready");
            // B's change is committed first; A's after it marks the point by which B's would have arrived
            String foreign = customerOf(b, accountOfB, "+5511970000005", "de B");
            String own = customerOf(a, accountOfA, "+5511970000006", "de A");
            CompletableFuture<Void> read = CompletableFuture.runAsync(() -> {
                try {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lines.add(line);
                        if (line.contains(own)) {
                            return;
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            read.get(10, TimeUnit.SECONDS);
            assertThat(String.join("\n", lines)).contains(own).doesNotContain(foreign);
        }
    }
}
