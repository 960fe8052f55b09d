package io.switchboard.identity;

import io.switchboard.database.TenantScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registers {@code SWITCHBOARD_BOOTSTRAP_TOKEN} as an ADMIN integration token of the first organization
 * (creating an empty one on a fresh instance without the demo), so automation can configure Switchboard
 * through the API without anyone signing in first.
 */
@Component
@Order(100)
class BootstrapToken implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapToken.class);

    private final SecretProperties properties;
    private final Organizations organizations;
    private final ApiTokens tokens;

    private final TransactionTemplate transaction;

    BootstrapToken(SecretProperties properties, Organizations organizations, ApiTokens tokens,
                   TransactionTemplate transaction) {
        this.properties = properties;
        this.organizations = organizations;
        this.tokens = tokens;
        this.transaction = transaction;
    }

    @Override
    public void run(ApplicationArguments args) {
        String value = properties.bootstrapToken();
        if (value == null || value.isBlank()) {
            return;
        }
        // under the first-start lock: two nodes starting on an empty database create one organization, not two
        Organization organization = TenantScope.asSystem(() -> transaction.execute(status -> {
            organizations.lockFirstStartSetup();
            Organization first = organizations.all().stream().findFirst()
                    .orElseGet(() -> organizations.create("Switchboard", "default", "pt-BR"));
            tokens.register(first.id(), null, "bootstrap", Role.ADMIN, value.trim());
            return first;
        }));
        log.info("Bootstrap API token registered for organization '{}'", organization.name());
    }
}
