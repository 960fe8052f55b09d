package io.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@IntegrationTest
class TenantIsolationTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

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
}
