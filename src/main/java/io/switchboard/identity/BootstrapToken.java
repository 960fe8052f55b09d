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
 * Registers {@code SWITCHBOARD_BOOTSTRAP_TOKEN} as an ADMIN integration token that is also an instance-operator
 * token, so automation can set up a fresh instance (create organizations, configure the first one) without
 * anyone signing in. It belongs to the first organization that is not the demo workspace (an empty "default"
 * one is created when there is none): real channels must never land in a tenant with a published password.
 * Once revoked it stays revoked, whatever the configuration says at the next start.
 */
@Component
@Order(100)
class BootstrapToken implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapToken.class);
    /** The demo workspace's slug (the demo module depends on identity, not the other way round). */
    static final String DEMO_SLUG = "demo";

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
            Organization first = organizations.all().stream().filter(o -> !DEMO_SLUG.equals(o.slug())).findFirst()
                    .orElseGet(() -> organizations.create("Switchboard", "default", "pt-BR"));
            return tokens.register(first.id(), "bootstrap", Role.ADMIN, true, value.trim()).isPresent() ? first : null;
        }));
        if (organization == null) {
            log.warn("SWITCHBOARD_BOOTSTRAP_TOKEN was revoked earlier and stays revoked; remove it from the configuration");
            return;
        }
        log.info("Bootstrap API token registered for organization '{}'", organization.name());
    }
}
