package io.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.SignedInSession;
import io.switchboard.support.Tenants;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 17: an e-mail is unique per organization, so creating a user never tells whether the address has an
 * account in another organization; sign-in finds the account the password opens, and lets the person choose when
 * the same e-mail and password open accounts in several.
 */
@IntegrationTest
class EmailsPerOrganizationTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    private ApiClient.Response createUser(Tenants.Tenant tenant, String email, String name, String password) {
        return api.post("/api/v1/users", tenant.adminToken(), Map.of("email", email, "name", name, "password", password, "role", "AGENT"));
    }

    @Test
    void anAddressTakenInAnotherOrganizationIsNotRevealedAndEachPersonSignsInToTheirOwn() throws Exception {
        var northwind = tenants.create("Northwind");
        var acme = tenants.create("Acme");
        String email = "ana-" + UUID.randomUUID() + "@example.com";
        assertThat(createUser(northwind, email, "Ana of Northwind", "northwind-secret").status()).isEqualTo(201);

        var inAcme = createUser(acme, email.toUpperCase(), "Ana of Acme", "acme-secret-99");
        assertThat(inAcme.status()).as("the same address in another organization: created, nothing hinted").isEqualTo(201);
        var again = createUser(acme, email, "Another Ana", "whatever-123");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asString()).contains("already exists in this organization");

        SignedInSession anaOfAcme = new SignedInSession(api.baseUrl(), email, "acme-secret-99");
        String acmeUsers = anaOfAcme.get("/api/v1/users").body();
        assertThat(acmeUsers).contains("Ana of Acme").doesNotContain("Ana of Northwind");
        SignedInSession anaOfNorthwind = new SignedInSession(api.baseUrl(), email, "northwind-secret");
        assertThat(anaOfNorthwind.get("/api/v1/users").body()).contains("Ana of Northwind").doesNotContain("Ana of Acme");

        var wrong = SignedInSession.attempt(api.baseUrl(), email, "neither-password");
        assertThat(wrong.headers().firstValue("Location").orElse("")).endsWith("/login?error");
    }

    @Test
    void whenOnePasswordOpensSeveralOrganizationsThePersonChoosesAndEntersOnlyThatOne() throws Exception {
        var first = tenants.create("Padaria Central");
        var second = tenants.create("Loja Aurora");
        String email = "bia-" + UUID.randomUUID() + "@example.com";
        assertThat(createUser(first, email, "Bia da Padaria", "same-password-1").status()).isEqualTo(201);
        assertThat(createUser(second, email, "Bia da Loja", "same-password-1").status()).isEqualTo(201);

        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
        String page = get(browser, "/login").body();
        var posted = post(browser, "/login", "username=" + SignedInSession.encode(email) + "&password=same-password-1&_csrf="
                + SignedInSession.csrf(page));
        assertThat(posted.headers().firstValue("Location").orElse("")).endsWith("/login/organization");
        assertThat(get(browser, "/api/v1/users").statusCode()).as("not signed in before choosing").isIn(401, 302, 403);

        var choice = get(browser, "/login/organization");
        assertThat(choice.statusCode()).isEqualTo(200);
        assertThat(choice.body()).contains("Padaria Central").contains("Loja Aurora");
        var tenantsNotOffered = tenants.create("Somebody Else");
        assertThat(choice.body()).doesNotContain(tenantsNotOffered.organization().name());

        // a forged choice of an organization that was not offered signs in nowhere
        var forged = post(browser, "/login/organization", "organization_id=" + tenantsNotOffered.id() + "&_csrf="
                + SignedInSession.csrf(choice.body()));
        assertThat(forged.headers().firstValue("Location").orElse("")).endsWith("/login?error");

        var chosen = post(browser, "/login/organization", "organization_id=" + second.id() + "&_csrf=" + SignedInSession.csrf(choice.body()));
        assertThat(chosen.headers().firstValue("Location").orElse("")).doesNotContain("error");
        String users = get(browser, "/api/v1/users").body();
        assertThat(users).contains("Bia da Loja").doesNotContain("Bia da Padaria");
        assertThat(get(browser, "/login/organization").headers().firstValue("Location").orElse(""))
                .as("the choice is used up").endsWith("/login");
    }

    @Test
    void theAdminUsersFormAcceptsAnAddressOfAnotherOrganizationAndRefusesOneOfItsOwnSayingSo() throws Exception {
        var a = tenants.create("Form Alpha");
        var b = tenants.create("Form Beta");
        var admin = new SignedInSession(api.baseUrl(), a.admin().email());
        String csrf = SignedInSession.csrf(admin.get("/admin/users").body());

        var elsewhere = admin.post("/admin/users", "email=" + SignedInSession.encode(b.agent().email())
                + "&name=Twin&password=twin+password&role=AGENT&_csrf=" + csrf);
        assertThat(elsewhere.statusCode()).isEqualTo(302);
        assertThat(admin.get("/admin/users").body()).contains("Twin").doesNotContain("Form Beta");

        var own = admin.post("/admin/users", "email=" + SignedInSession.encode(a.agent().email().toUpperCase())
                + "&name=Copy&password=copy+password&role=AGENT&_csrf=" + csrf);
        assertThat(own.statusCode()).isEqualTo(422);
        assertThat(own.body()).contains("Someone in this organization already uses this e-mail.");
    }

    @Test
    void theChoicePageWithoutAPasswordFirstOffersNothing() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
        var page = get(browser, "/login/organization");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElse("")).endsWith("/login");
    }

    private HttpResponse<String> get(HttpClient browser, String path) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(HttpClient browser, String path, String form) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
