package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.conversation.ChannelOrigin;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.InboundMessage;
import io.switchboard.conversation.QueueTab;
import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.RawHttp;
import io.switchboard.support.SignedInSession;
import io.switchboard.support.Tenants;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The security review's findings (issue 17), each reproduced as the reviewer did it and now refused. The rate
 * limits are in {@link RateLimitsTest}, organizations and first run in their own tests.
 */
@IntegrationTest
class SecurityFindingsTest {

    @Autowired
    ApiClient api;
    @Autowired
    Tenants tenants;
    @Autowired
    Channels channels;
    @Autowired
    Conversations conversations;
    @Autowired
    JdbcClient jdbc;

    // --- H1: the bootstrap token does not land in the demo tenant ---

    @Test
    void h1TheBootstrapTokenNeverBelongsToTheDemoWorkspace() {
        var me = api.get("/api/v1/me", "sb_bootstrap_token_for_tests_only");
        assertThat(me.status()).isEqualTo(200);
        String demo = TenantScope.asSystem(() -> jdbc.sql("select id::text from organizations where slug = 'demo'")
                .query(String.class).optional().orElse("none"));
        assertThat(me.json().get("organization_id").asString()).isNotEqualTo(demo);
        assertThat(me.json().get("instance_operator").asBoolean()).isTrue();
    }

    // --- H2: tokens and sessions follow the user's current role and active flag ---

    @Test
    void h2AnAdminsTokensLoseTheirPowerWhenTheAdminIsDemotedAndDieWhenDeactivated() {
        var tenant = tenants.create("Demoted Co");
        var second = api.post("/api/v1/users", tenant.adminToken(), Map.of("email", "boss-" + UUID.randomUUID() + "@example.test",
                "name", "Boss", "password", Tenants.PASSWORD, "role", "ADMIN"));
        String bossId = second.json().get("id").asString();
        String bossEmail = second.json().get("email").asString();
        // the boss mints a personal token and an ADMIN integration token while still an admin
        String personal = tokenOf(bossEmail, false);
        String integration = tokenOf(bossEmail, true);
        assertThat(api.get("/api/v1/api_tokens", integration).status()).isEqualTo(200);

        assertThat(api.patch("/api/v1/users/" + bossId, tenant.adminToken(), Map.of("role", "AGENT")).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/api_tokens", personal).status()).as("personal token after demotion").isEqualTo(403);
        assertThat(api.get("/api/v1/api_tokens", integration).status()).as("integration token after demotion").isEqualTo(403);
        assertThat(api.get("/api/v1/me", integration).json().get("role").asString()).isEqualTo("AGENT");
        // a demoted person cannot mint an admin token either
        assertThat(api.post("/api/v1/api_tokens", personal, Map.of("name", "x", "role", "ADMIN", "integration", true)).status())
                .isEqualTo(403);

        assertThat(api.patch("/api/v1/users/" + bossId, tenant.adminToken(), Map.of("active", false)).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/me", personal).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/me", integration).status()).isEqualTo(401);
    }

    @Test
    void h2AnOpenSessionFollowsTheUsersRoleAndEndsWhenTheUserIsDeactivated() throws Exception {
        var tenant = tenants.create("Session Co");
        Conversation conversation = customerWrites(tenant, "Olá");
        SignedInSession agent = new SignedInSession(api.baseUrl(), tenant.agent().email());
        SignedInSession admin = new SignedInSession(api.baseUrl(), tenant.admin().email());
        assertThat(admin.get("/api/v1/api_tokens").statusCode()).isEqualTo(200);

        api.patch("/api/v1/users/" + tenant.admin().id(), tenant.integrationToken(), Map.of("role", "AGENT"));
        assertThat(admin.get("/api/v1/api_tokens").statusCode()).as("a demoted admin's open session").isEqualTo(403);

        assertThat(agent.get("/api/v1/conversations/" + conversation.id()).statusCode()).isEqualTo(200);
        api.patch("/api/v1/users/" + tenant.agent().id(), tenant.integrationToken(), Map.of("active", false));
        assertThat(agent.get("/api/v1/me").statusCode()).as("a deactivated agent's open session").isEqualTo(401);
        assertThat(agent.get("/inbox").statusCode()).isEqualTo(302);
    }

    @Test
    void h2ChangingThePasswordAndSigningOutEverywhereEndOpenSessions() throws Exception {
        var tenant = tenants.create("Password Co");
        SignedInSession laptop = new SignedInSession(api.baseUrl(), tenant.agent().email());
        SignedInSession phone = new SignedInSession(api.baseUrl(), tenant.agent().email());

        var wrong = api.post("/api/v1/me/password", tenant.agentToken(), Map.of("current_password", "not it", "new_password", "brand new pass"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(phone.get("/api/v1/me").statusCode()).isEqualTo(200);

        assertThat(api.post("/api/v1/me/sign_out_everywhere", tenant.agentToken(), "{}").status()).isEqualTo(204);
        assertThat(laptop.get("/api/v1/me").statusCode()).isEqualTo(401);
        assertThat(phone.get("/api/v1/me").statusCode()).isEqualTo(401);

        SignedInSession again = new SignedInSession(api.baseUrl(), tenant.agent().email());
        assertThat(api.post("/api/v1/me/password", tenant.agentToken(),
                Map.of("current_password", Tenants.PASSWORD, "new_password", "brand new pass")).status()).isEqualTo(204);
        assertThat(again.get("/api/v1/me").statusCode()).isEqualTo(401);
        assertThat(signIn(tenant.agent().email(), Tenants.PASSWORD)).isEqualTo(401);
        assertThat(signIn(tenant.agent().email(), "brand new pass")).isEqualTo(200);
    }

    // --- M1: a huge body is refused before it is read ---

    @Test
    void m1AnOversizedWebhookBodyIsRefusedBeforeItIsRead() throws Exception {
        // its 3 MB only declared, never sent: the 413 comes from the headers alone
        var declared = RawHttp.postDeclaring(URI.create(api.baseUrl()), "/webhooks/meta/" + UUID.randomUUID(), 3 * 1024 * 1024,
                Map.of("Content-Type", "application/json"));
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.headers()).containsIgnoringCase("Content-Type: application/problem+json");

        // streamed without a length (chunked): stopped once past the limit
        var chunked = RawHttp.postStreaming(URI.create(api.baseUrl()), "/webhooks/meta/" + UUID.randomUUID(), 3 * 1024 * 1024,
                Map.of("Content-Type", "application/json"));
        assertThat(chunked.status()).isIn(404, 413);
    }

    // --- M4: CSRF on every cookie-authenticated call ---

    @Test
    void m4ASessionCallWithAnAuthorizationHeaderButNoCsrfTokenIsRefused() throws Exception {
        var tenant = tenants.create("Csrf Co");
        Conversation conversation = customerWrites(tenant, "Oi");
        SignedInSession agent = new SignedInSession(api.baseUrl(), tenant.agent().email());

        HttpResponse<String> forged = agent.http().send(HttpRequest.newBuilder(
                        URI.create(api.baseUrl() + "/api/v1/conversations/" + conversation.id() + "/close"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("x:y".getBytes()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("CSRF").doesNotContain("role");
        assertThat(api.get("/api/v1/conversations/" + conversation.id(), tenant.agentToken()).json().get("status").asString())
                .isNotEqualTo("closed");
    }

    // --- M5: assignment stays inside the organization, and tells nothing of others ---

    @Test
    void m5AssigningSomeoneOfAnotherOrganizationOrADeactivatedPersonIsRefusedWithoutLeakingAnything() {
        var tenant = tenants.create("Assign Co");
        var other = tenants.create("Elsewhere Co");
        Conversation conversation = customerWrites(tenant, "Preciso de ajuda");
        String path = "/api/v1/conversations/" + conversation.id() + "/assign";

        var foreign = api.post(path, tenant.adminToken(), Map.of("user_id", other.agent().id()));
        var nobody = api.post(path, tenant.adminToken(), Map.of("user_id", UUID.randomUUID()));
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(nobody.status()).isEqualTo(404);
        assertThat(foreign.json().get("detail").asString().replace(other.agent().id().toString(), "ID"))
                .isEqualTo(nobody.json().get("detail").asString().replaceAll("[0-9a-f-]{36}", "ID"));
        assertThat(foreign.body()).doesNotContain("foreign key").doesNotContain("constraint").doesNotContain("users");

        api.patch("/api/v1/users/" + tenant.agent().id(), tenant.adminToken(), Map.of("active", false));
        assertThat(api.post(path, tenant.adminToken(), Map.of("user_id", tenant.agent().id())).status()).isEqualTo(404);
        assertThat(api.post(path, tenant.adminToken(), Map.of("user_id", tenant.admin().id())).status()).isEqualTo(200);
    }

    // --- L: bad input is a 4xx, customer text is kept, internals stay inside ---

    @Test
    void lMalformedWebhookRequestsAreClientErrorsNotServerErrors() throws Exception {
        var tenant = tenants.create("Malformed Co");
        UUID twilio = channels.twilioAccount(tenant, null);
        String path = "/webhooks/twilio/" + twilio;

        var multipart = api.postRaw(path, "multipart/form-data", "--x\r\n".getBytes(), Map.of());
        var badEscape = api.postRaw(path, "application/x-www-form-urlencoded", "Body=%zz&From=%".getBytes(), Map.of());
        var tooBig = RawHttp.postDeclaring(URI.create(api.baseUrl()), path, 2_100_000,
                Map.of("Content-Type", "application/x-www-form-urlencoded"));

        assertThat(multipart.status()).isEqualTo(415);
        assertThat(badEscape.status()).isBetween(400, 403);
        assertThat(tooBig.status()).isEqualTo(413);
        for (String body : new String[] {multipart.body(), badEscape.body(), tooBig.body()}) {
            assertThat(body).doesNotContain("Exception").doesNotContain("at io.switchboard");
        }
    }

    @Test
    void lACustomerMessageWithNulIsKeptWithoutTheNul() {
        var tenant = tenants.create("Nul Co");
        UUID account = channels.create(tenant, Map.of("type", "webchat", "name", "Site"));
        var session = api.post("/webchat/" + account + "/sessions", null, "{}");
        String token = session.json().get("token").asString();
        var sent = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/webchat/" + account + "/messages"))
                .header("Content-Type", "application/json").header("X-Webchat-Token", token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"pedido\\u0000 123\"}")).build());

        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.json().get("content").asString()).isEqualTo("pedido 123");
    }

    @Test
    void lAProviderTextFarOverTheCapIsStoredCutWithAMarker() {
        var tenant = tenants.create("Long Co");
        UUID meta = channels.metaAccount(tenant);
        String text = "x".repeat(InboundMessage.MAX_CONTENT_CHARS + 5_000);
        String event = """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp",
                "metadata":{"display_phone_number":"1","phone_number_id":"%s"},"contacts":[{"profile":{"name":"C"},"wa_id":"5511900000001"}],
                "messages":[{"from":"5511900000001","id":"wamid.long-1","timestamp":"1717000000","type":"text","text":{"body":"%s"}}]},
                "field":"messages"}]}]}""".formatted(channels.metaPhoneNumberIdOf(meta), text);

        assertThat(channels.metaPost(meta, event, Channels.META_SECRET).status()).isEqualTo(200);

        String stored = TenantScope.call(tenant.id(), () -> jdbc.sql("select content from messages where organization_id = ?")
                .param(tenant.id()).query(String.class).single());
        assertThat(stored).startsWith("xxxx").endsWith("5000 more characters not kept]");
        assertThat(stored.length()).isLessThan(InboundMessage.MAX_CONTENT_CHARS + 100);
    }

    @Test
    void lPagesCarryTheSecurityHeadersAndTheSessionCookieIsSameSite() throws Exception {
        var login = api.get("/login", null);
        assertThat(login.header("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe-eval")
                .contains("frame-ancestors 'none'");
        assertThat(login.header("Referrer-Policy")).isEqualTo("strict-origin-when-cross-origin");
        assertThat(login.header("Permissions-Policy")).contains("camera=()");
        assertThat(login.raw().headers().allValues("Set-Cookie")).anySatisfy(cookie ->
                assertThat(cookie).startsWith("JSESSIONID").containsIgnoringCase("SameSite=Lax").containsIgnoringCase("HttpOnly"));
    }

    @Test
    void lMetricsNeedAnInstanceOperatorsToken() {
        var tenant = tenants.create("Metrics Co");
        assertThat(api.get("/actuator/prometheus", null).status()).isEqualTo(401);
        assertThat(api.get("/actuator/prometheus", tenant.adminToken()).status()).isEqualTo(403);
        assertThat(api.get("/actuator/prometheus", "sb_bootstrap_token_for_tests_only").status()).isEqualTo(200);
        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
    }

    private Conversation customerWrites(Tenants.Tenant tenant, String text) {
        return TenantScope.call(tenant.id(), () -> {
            UUID account = jdbc.sql("insert into channel_accounts (organization_id, type, name) values (?, 'webchat', 'Site') returning id")
                    .param(tenant.id()).query(UUID.class).single();
            InboundMessage inbound = new InboundMessage(tenant.id(), new ChannelOrigin(account, "webchat", QueueTab.SUPPORT, true, null),
                    "visitor-" + UUID.randomUUID(), "Visitante", null, null, text, "text", null, null, null);
            return conversations.ingest(inbound).conversation();
        });
    }

    /** Signs in through the form and issues a token with that session (as a person would in the UI). */
    private String tokenOf(String email, boolean integration) {
        try {
            SignedInSession session = new SignedInSession(api.baseUrl(), email);
            String csrf = SignedInSession.csrf(session.get("/admin/users").body());
            HttpResponse<String> issued = session.http().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/api_tokens"))
                    .header("Content-Type", "application/json").header("X-CSRF-TOKEN", csrf)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"t\",\"role\":\"ADMIN\",\"integration\":" + integration + "}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
            return issued.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private int signIn(String email, String password) {
        try {
            var posted = SignedInSession.attempt(api.baseUrl(), email, password);
            return posted.headers().firstValue("Location").orElse("").contains("error") ? 401 : posted.statusCode() == 302 ? 200 : posted.statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
