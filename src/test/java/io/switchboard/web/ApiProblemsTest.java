package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@IntegrationTest
class ApiProblemsTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Test
    void invalidFieldsAreNamedInTheProblem() {
        var tenant = tenants.create("Problems");
        var response = api.post("/api/v1/users", tenant.adminToken(), Map.of("email", "not-an-email", "name", "", "role", "AGENT"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        String detail = response.json().get("detail").asString();
        assertThat(detail).contains("email").contains("name").contains("password");
        assertThat(response.json().get("errors").size()).isEqualTo(3);
    }

    @Test
    void malformedJsonIsA400ThatSaysSo() {
        var tenant = tenants.create("Malformed");
        var response = api.post("/api/v1/users", tenant.adminToken(), "{\"email\": ");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("not valid JSON");
    }

    @Test
    void anUnknownEnumValueListsTheAllowedOnes() {
        var tenant = tenants.create("Enum");
        var response = api.post("/api/v1/users", tenant.adminToken(),
                Map.of("email", "x@example.test", "name", "X", "password", "long enough", "role", "KING"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("role").contains("ADMIN").contains("AGENT");
    }

    @Test
    void aPathIdThatIsNotAUuidIsA400() {
        var tenant = tenants.create("Path");
        var response = api.get("/api/v1/users/abc", tenant.adminToken());
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("'abc' is not a valid UUID");
    }

    @Test
    void aDuplicateEmailIsAConflictAndNothingIsHalfWritten() {
        var tenant = tenants.create("Dup");
        var response = api.post("/api/v1/users", tenant.adminToken(),
                Map.of("email", tenant.agent().email(), "name", "Again", "password", "long enough", "role", "AGENT"));
        assertThat(response.status()).isEqualTo(409);
        assertThat(api.get("/api/v1/users", tenant.adminToken()).json().size()).isEqualTo(2);
    }
}
