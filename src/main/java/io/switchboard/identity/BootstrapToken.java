package io.switchboard.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

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

    BootstrapToken(SecretProperties properties, Organizations organizations, ApiTokens tokens) {
        this.properties = properties;
        this.organizations = organizations;
        this.tokens = tokens;
    }

    @Override
    public void run(ApplicationArguments args) {
        String value = properties.bootstrapToken();
        if (value == null || value.isBlank()) {
            return;
        }
        var organization = organizations.all().stream().findFirst()
                .orElseGet(() -> organizations.create("Switchboard", "default", "pt-BR"));
        tokens.register(organization.id(), null, "bootstrap", Role.ADMIN, value.trim());
        log.info("Bootstrap API token registered for organization '{}'", organization.name());
    }
}
