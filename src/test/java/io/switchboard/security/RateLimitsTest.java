package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.SignedInSession;
import io.switchboard.support.Tenants;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Findings M2 and M3: web chat sessions and messages, sign-in attempts, wrong bearer tokens and each token's
 * requests are limited cluster-wide (buckets in PostgreSQL), and a limited request gets 429 with Retry-After
 * and a problem document. Low limits here; each test calls from its own address (X-Forwarded-For, which the
 * server believes from a local proxy), so tests do not share buckets.
 */
@IntegrationTest
@TestPropertySource(properties = {
        "switchboard.rate-limits.login-per-account=5/15m",
        "switchboard.rate-limits.login-per-ip=8/15m",
        "switchboard.rate-limits.bearer-failures-per-ip=5/5m",
        "switchboard.rate-limits.api-per-token=5/1m",
        "switchboard.rate-limits.webchat-sessions-per-ip=5/10m",
        "switchboard.rate-limits.webchat-messages-per-visitor=4/1m",
        "switchboard.rate-limits.webchat-messages-per-ip=100/1m"})
class RateLimitsTest {

    private static final AtomicInteger ADDRESSES = new AtomicInteger(10);

    @Autowired
    ApiClient api;
    @Autowired
    Tenants tenants;
    @Autowired
    Channels channels;
    @Autowired
    JdbcClient jdbc;

    @Test
    void m3AfterTooManyWrongPasswordsEvenTheRightOneIsRefusedWith429() throws Exception {
        var tenant = tenants.create("Guessed Co");
        String address = nextAddress();
        for (int i = 0; i < 5; i++) {
            assertThat(signIn(tenant.admin().email(), "guess " + i, address).statusCode()).isEqualTo(302);
        }
        var refused = signIn(tenant.admin().email(), Tenants.PASSWORD, address);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("application/problem+json"));
        // from another address too: the account itself is protected
        assertThat(signIn(tenant.admin().email(), Tenants.PASSWORD, nextAddress()).statusCode()).isEqualTo(429);
    }

    @Test
    void m3SuccessfulSignInsDoNotUseTheAllowanceUp() throws Exception {
        var tenant = tenants.create("Regular Co");
        String address = nextAddress();
        for (int i = 0; i < 7; i++) {
            var response = signIn(tenant.agent().email(), Tenants.PASSWORD, address);
            assertThat(response.statusCode()).isEqualTo(302);
            assertThat(response.headers().firstValue("Location").orElse("")).doesNotContain("error");
        }
    }

    @Test
    void m3OneAddressTryingManyAccountsIsStopped() throws Exception {
        String address = nextAddress();
        for (int i = 0; i < 8; i++) {
            signIn("nobody-" + i + "@example.test", "guess", address);
        }
        assertThat(signIn("nobody-9@example.test", "guess", address).statusCode()).isEqualTo(429);
    }

    @Test
    void m3WrongBearerTokensFromOneAddressAreStopped() {
        String address = nextAddress();
        for (int i = 0; i < 5; i++) {
            assertThat(bearer("sb_wrong_token_number_" + i, address).status()).isEqualTo(401);
        }
        var limited = bearer("sb_wrong_token_number_x", address);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotNull();
        assertThat(limited.header("Content-Type")).contains("application/problem+json");
    }

    @Test
    void eachApiTokenHasItsOwnRequestBudget() {
        var tenant = tenants.create("Busy Co");
        for (int i = 0; i < 5; i++) {
            assertThat(api.get("/api/v1/me", tenant.agentToken()).status()).isEqualTo(200);
        }
        var limited = api.get("/api/v1/me", tenant.agentToken());
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotNull();
        assertThat(api.get("/api/v1/me", tenant.adminToken()).status()).as("another token").isEqualTo(200);
    }

    @Test
    void m2NewWebChatSessionsFromOneAddressAreLimitedAndCreateNothingPastTheLimit() {
        var tenant = tenants.create("Widget Co");
        UUID account = channels.create(tenant, Map.of("type", "webchat", "name", "Site"));
        String address = nextAddress();
        for (int i = 0; i < 5; i++) {
            assertThat(webchat("/webchat/" + account + "/sessions", "{}", address, null).status()).isEqualTo(200);
        }
        int contactsBefore = contacts(tenant);
        for (int i = 0; i < 20; i++) {
            var limited = webchat("/webchat/" + account + "/sessions", "{}", address, null);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("Retry-After")).isNotNull();
            assertThat(limited.header("Content-Type")).contains("application/problem+json");
        }
        assertThat(contacts(tenant)).isEqualTo(contactsBefore).isEqualTo(5);
    }

    @Test
    void m2AVisitorSendingTooFastIsLimited() {
        var tenant = tenants.create("Chatty Co");
        UUID account = channels.create(tenant, Map.of("type", "webchat", "name", "Site"));
        String address = nextAddress();
        String token = webchat("/webchat/" + account + "/sessions", "{}", address, null).json().get("token").asString();
        for (int i = 0; i < 4; i++) {
            assertThat(webchat("/webchat/" + account + "/messages", "{\"text\":\"oi " + i + "\"}", address, token).status()).isEqualTo(200);
        }
        assertThat(webchat("/webchat/" + account + "/messages", "{\"text\":\"oi\"}", address, token).status()).isEqualTo(429);
        assertThat(TenantScope.call(tenant.id(), () -> jdbc.sql("select count(*) from messages where organization_id = ?")
                .param(tenant.id()).query(Integer.class).single())).isEqualTo(4 + welcomeMessages(tenant));
    }

    private int welcomeMessages(Tenants.Tenant tenant) {
        return TenantScope.call(tenant.id(), () -> jdbc.sql("select count(*) from messages where organization_id = ? and direction = 'outbound'")
                .param(tenant.id()).query(Integer.class).single());
    }

    private int contacts(Tenants.Tenant tenant) {
        return TenantScope.call(tenant.id(), () -> jdbc.sql("select count(*) from contacts where organization_id = ?")
                .param(tenant.id()).query(Integer.class).single());
    }

    private ApiClient.Response webchat(String path, String json, String address, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .header("Content-Type", "application/json").header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("X-Webchat-Token", token);
        }
        return api.send(request.build());
    }

    private ApiClient.Response bearer(String token, String address) {
        return api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/me"))
                .header("Authorization", "Bearer " + token).header("X-Forwarded-For", address).build());
    }

    private HttpResponse<String> signIn(String email, String password, String address) throws Exception {
        return SignedInSession.attempt(api.baseUrl(), email, password, "X-Forwarded-For", address);
    }

    private static String nextAddress() {
        return "203.0.113." + ADDRESSES.incrementAndGet();
    }
}
