package io.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@IntegrationTest
class AuthenticationTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Test
    void anApiCallWithoutCredentialsIsRefusedWith401ProblemJson() {
        var response = api.get("/api/v1/me", null);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString()).contains("Bearer");
    }

    @Test
    void anUnknownTokenIsRefusedWith401() {
        assertThat(api.get("/api/v1/me", "sb_not-a-real-token-at-all").status()).isEqualTo(401);
    }

    @Test
    void aPersonalTokenActsAsItsUser() {
        var tenant = tenants.create("Token Co");
        var me = api.get("/api/v1/me", tenant.agentToken());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("email").asString()).isEqualTo(tenant.agent().email());
        assertThat(me.json().get("organization_id").asString()).isEqualTo(tenant.id().toString());
        assertThat(me.json().get("role").asString()).isEqualTo("AGENT");
        assertThat(me.json().get("human").asBoolean()).isTrue();
    }

    @Test
    void anIntegrationTokenIsNotAPerson() {
        var tenant = tenants.create("Integration Co");
        var me = api.get("/api/v1/me", tenant.integrationToken());
        assertThat(me.json().get("human").asBoolean()).isFalse();
        assertThat(me.json().get("authentication").asString()).isEqualTo("INTEGRATION_TOKEN");
    }

    @Test
    void anAgentIsForbiddenFromAdminActions() {
        var tenant = tenants.create("Roles Co");
        var response = api.post("/api/v1/users", tenant.agentToken(),
                Map.of("email", "new@example.test", "name", "New", "password", "long enough", "role", "AGENT"));
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void anAdminCreatesAUserWhoCanThenSignIn() throws Exception {
        var tenant = tenants.create("Hiring Co");
        String email = "hired-" + tenant.id().toString().substring(0, 6) + "@example.test";
        var created = api.post("/api/v1/users", tenant.adminToken(),
                Map.of("email", email, "name", "Hired", "password", "s3cret-pass", "role", "AGENT"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("password");

        assertThat(signIn(email, "s3cret-pass")).isEqualTo(200);
    }

    @Test
    void aRevokedTokenStopsWorking() {
        var tenant = tenants.create("Revoke Co");
        var issued = api.post("/api/v1/api_tokens", tenant.adminToken(), Map.of("name", "ci", "integration", true));
        assertThat(issued.status()).isEqualTo(201);
        String token = issued.json().get("token").asString();
        assertThat(api.get("/api/v1/me", token).status()).isEqualTo(200);

        assertThat(api.delete("/api/v1/api_tokens/" + issued.json().get("id").asString(), tenant.adminToken()).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/me", token).status()).isEqualTo(401);
    }

    @Test
    void theBootstrapTokenIsAnAdminIntegrationToken() {
        var me = api.get("/api/v1/me", "sb_bootstrap_token_for_tests_only");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("role").asString()).isEqualTo("ADMIN");
        assertThat(me.json().get("human").asBoolean()).isFalse();
    }

    @Test
    void formLoginWithTheRightPasswordOpensASessionAndTheWrongOneDoesNot() throws Exception {
        var tenant = tenants.create("Login Co");
        assertThat(signIn(tenant.admin().email(), Tenants.PASSWORD)).isEqualTo(200);
        assertThat(signIn(tenant.admin().email(), "wrong password")).isEqualTo(401);
    }

    /** Signs in through the login form like a browser, then calls /api/v1/me with the session. */
    private int signIn(String email, String password) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String page = browser.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/login")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).as("the login form carries a CSRF token").isTrue();
        String form = "username=" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + csrf.group(1);
        var login = browser.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        return browser.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/me")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
