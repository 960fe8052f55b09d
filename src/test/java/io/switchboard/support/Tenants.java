package io.switchboard.support;

import io.switchboard.database.TenantScope;
import io.switchboard.identity.ApiTokens;
import io.switchboard.identity.Organization;
import io.switchboard.identity.Organizations;
import io.switchboard.identity.Role;
import io.switchboard.identity.User;
import io.switchboard.identity.Users;
import java.util.UUID;
import org.springframework.boot.test.context.TestComponent;

/** Creates a fresh organization with an admin, an agent and tokens, through the real identity services. */
@TestComponent
public class Tenants {

    public static final String PASSWORD = "correct horse battery";

    private final Organizations organizations;
    private final Users users;
    private final ApiTokens tokens;

    Tenants(Organizations organizations, Users users, ApiTokens tokens) {
        this.organizations = organizations;
        this.users = users;
        this.tokens = tokens;
    }

    /** An organization and its people; tokens are the raw bearer values. */
    public record Tenant(Organization organization, User admin, User agent, String adminToken, String agentToken,
                         String integrationToken) {

        public UUID id() {
            return organization.id();
        }

        public <T> T scoped(java.util.function.Supplier<T> work) {
            return TenantScope.call(organization.id(), work);
        }
    }

    public Tenant create(String name) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Organization organization = organizations.create(name, name.toLowerCase().replaceAll("[^a-z0-9]+", "-") + "-" + suffix, "pt-BR");
        User admin = users.create(organization.id(), "admin-" + suffix + "@example.test", name + " Admin", PASSWORD, Role.ADMIN);
        User agent = users.create(organization.id(), "agent-" + suffix + "@example.test", name + " Agent", PASSWORD, Role.AGENT);
        String adminToken = tokens.issue(organization.id(), admin.id(), "admin", Role.ADMIN).value();
        String agentToken = tokens.issue(organization.id(), agent.id(), "agent", Role.AGENT).value();
        String integrationToken = tokens.issue(organization.id(), null, "integration", Role.ADMIN).value();
        return new Tenant(organization, admin, agent, adminToken, agentToken, integrationToken);
    }
}
