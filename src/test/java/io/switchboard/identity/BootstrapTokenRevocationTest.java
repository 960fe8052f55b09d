package io.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Security review, finding L: "a revoked bootstrap token comes back at restart". The token is registered at every
 * start from the configuration; once revoked, the next start (the same runner, the same configuration) must leave
 * it revoked.
 */
@IntegrationTest
class BootstrapTokenRevocationTest {

    @Autowired
    Organizations organizations;

    @Autowired
    ApiTokens tokens;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    ApiClient api;

    @Test
    void aRevokedBootstrapTokenStaysRevokedWhenTheNextStartRegistersItAgain() {
        String value = "sb_bootstrap_" + UUID.randomUUID().toString().replace("-", "");
        BootstrapToken start = new BootstrapToken(new SecretProperties(null, value), organizations, tokens, transaction);

        start.run(null);
        assertThat(api.get("/api/v1/conversations", value).status()).as("the configured token works").isEqualTo(200);

        UUID organizationId = organizations.all().stream().filter(o -> !BootstrapToken.DEMO_SLUG.equals(o.slug()))
                .findFirst().orElseThrow().id();
        // registering the same value again finds the existing token: the one to revoke, as its ADMIN would
        ApiToken registered = tokens.register(organizationId, "bootstrap", Role.ADMIN, true, value).orElseThrow();
        TenantScope.run(organizationId, () -> tokens.revoke(registered.id()));
        assertThat(api.get("/api/v1/conversations", value).status()).as("revoked").isEqualTo(401);

        start.run(null); // the next start, same configuration
        assertThat(api.get("/api/v1/conversations", value).status()).as("still revoked after the restart").isEqualTo(401);
    }
}
