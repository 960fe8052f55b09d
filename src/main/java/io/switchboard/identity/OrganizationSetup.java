package io.switchboard.identity;

import io.switchboard.database.TenantScope;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.InvalidInput;
import java.text.Normalizer;
import java.util.Locale;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates an organization together with its first administrator, in one transaction: by the instance
 * operator, by the setup page of a fresh installation (whose administrator becomes the instance operator), or
 * by self-service sign-up when that is enabled.
 */
@Service
public class OrganizationSetup {

    private final Organizations organizations;
    private final Users users;
    private final TransactionTemplate transaction;

    OrganizationSetup(Organizations organizations, Users users, TransactionTemplate transaction) {
        this.organizations = organizations;
        this.users = users;
        this.transaction = transaction;
    }

    /** What a new organization needs; {@code slug} may be empty (derived from the name). */
    public record NewOrganization(String name, String slug, String locale, String adminName, String adminEmail,
                                  String adminPassword) {
    }

    public record Created(Organization organization, User admin) {
    }

    public Created create(NewOrganization request) {
        return TenantScope.asSystem(() -> transaction.execute(status -> insert(request)));
    }

    /**
     * The setup page of a fresh installation: creates the first organization and its administrator, who is
     * also the instance operator. Refused once anyone exists, also when two people submit it at once.
     */
    public Created setUpFirst(NewOrganization request) {
        return TenantScope.asSystem(() -> transaction.execute(status -> {
            organizations.lockFirstStartSetup();
            if (!organizations.empty()) {
                throw new Conflict("this installation is already set up; sign in instead");
            }
            Created created = insert(request);
            users.makeOperator(created.admin().id());
            return created;
        }));
    }

    public boolean setUpNeeded() {
        return organizations.empty();
    }

    private Created insert(NewOrganization request) {
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 200) {
            throw new InvalidInput("name must have 1 to 200 characters");
        }
        String slug = request.slug() == null || request.slug().isBlank() ? slugOf(name) : request.slug().strip();
        if (!slug.matches("[a-z0-9][a-z0-9-]{1,62}")) {
            throw new InvalidInput("slug must be 2 to 63 lowercase letters, digits or dashes");
        }
        if (request.adminEmail() == null || !request.adminEmail().matches("[^@\\s]+@[^@\\s]+")) {
            throw new InvalidInput("admin_email must be an e-mail address");
        }
        String adminName = request.adminName() == null || request.adminName().isBlank() ? request.adminEmail() : request.adminName();
        String locale = request.locale() == null || request.locale().isBlank() ? "pt-BR" : request.locale().strip();
        Organization organization;
        try {
            organization = organizations.create(name, slug, locale);
        } catch (DuplicateKeyException e) {
            throw new Conflict("an organization with slug '" + slug + "' already exists");
        }
        User admin = users.create(organization.id(), request.adminEmail(), adminName, request.adminPassword(), Role.ADMIN);
        return new Created(organization, admin);
    }

    private static String slugOf(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        if (slug.length() < 2) {
            slug = "org";
        }
        slug = slug.length() > 40 ? slug.substring(0, 40) : slug;
        return slug + "-" + UUID.randomUUID().toString().substring(0, 6);
    }
}
