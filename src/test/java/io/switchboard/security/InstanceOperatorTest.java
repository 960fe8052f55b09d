package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.SignedInSession;
import io.switchboard.support.Tenants;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The instance operator (here the bootstrap token, an operator token) creates a second organization through the
 * API; its administrator signs in and sees nothing of any other organization; suspension locks it out.
 */
@IntegrationTest
class InstanceOperatorTest {

    private static final String OPERATOR = "sb_bootstrap_token_for_tests_only";

    @Autowired
    ApiClient api;
    @Autowired
    Tenants tenants;

    @Test
    void anOperatorCreatesASecondOrganizationWhoseAdminSeesNothingOfTheFirst() throws Exception {
        var first = tenants.create("First Co");
        String email = "owner-" + UUID.randomUUID() + "@second.test";

        var created = api.post("/api/v1/organizations", OPERATOR, Map.of("name", "Second Co", "admin_email", email,
                "admin_name", "Owner", "admin_password", "second org password"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String organizationId = created.json().get("organization").get("id").asString();
        assertThat(created.json().get("organization").get("status").asString()).isEqualTo("ACTIVE");
        assertThat(api.get("/api/v1/organizations", OPERATOR).json().get("items").findValuesAsString("id")).contains(organizationId);

        SignedInSession owner = signedIn(email, "second org password");
        var me = owner.get("/api/v1/me");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains(organizationId).contains("\"role\":\"ADMIN\"").contains("\"instance_operator\":false");
        assertThat(owner.get("/api/v1/users").body()).contains(email).doesNotContain(first.admin().email());
        assertThat(owner.get("/api/v1/conversations").body()).contains("\"items\":[]");
        assertThat(owner.get("/api/v1/users/" + first.admin().id()).statusCode()).isEqualTo(404);
        // an organization's admin is not an operator: the list of organizations is not theirs to see
        assertThat(owner.get("/api/v1/organizations").statusCode()).isEqualTo(403);
        assertThat(api.get("/api/v1/organizations", first.adminToken()).status()).isEqualTo(403);
    }

    @Test
    void aSuspendedOrganizationCannotSignInNorUseItsTokens() throws Exception {
        var tenant = tenants.create("Suspended Co");
        SignedInSession open = new SignedInSession(api.baseUrl(), tenant.agent().email());

        assertThat(api.post("/api/v1/organizations/" + tenant.id() + "/suspend", OPERATOR, "{}").json().get("status").asString())
                .isEqualTo("SUSPENDED");

        assertThat(api.get("/api/v1/me", tenant.adminToken()).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/me", tenant.integrationToken()).status()).isEqualTo(401);
        assertThat(open.get("/api/v1/me").statusCode()).isEqualTo(401);

        api.post("/api/v1/organizations/" + tenant.id() + "/reactivate", OPERATOR, "{}");
        assertThat(api.get("/api/v1/me", tenant.adminToken()).status()).isEqualTo(200);
    }

    @Test
    void theOperatorPageListsOrganizationsForOperatorsOnly() throws Exception {
        var tenant = tenants.create("Page Co");
        SignedInSession admin = new SignedInSession(api.baseUrl(), tenant.admin().email());
        assertThat(admin.get("/operator/organizations").statusCode()).isEqualTo(403);
    }

    private SignedInSession signedIn(String email, String password) throws Exception {
        return new SignedInSession(api.baseUrl(), email, password);
    }
}
