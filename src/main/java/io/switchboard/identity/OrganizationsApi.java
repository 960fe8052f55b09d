package io.switchboard.identity;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The instance operator's API: every organization of the installation, a new one with its first admin, suspension. */
@RestController
@RequestMapping("/api/v1/organizations")
@PreAuthorize("hasRole('OPERATOR')")
class OrganizationsApi {

    private final Organizations organizations;
    private final OrganizationSetup setup;

    OrganizationsApi(Organizations organizations, OrganizationSetup setup) {
        this.organizations = organizations;
        this.setup = setup;
    }

    record Page(List<OrganizationSummary> items, String nextCursor) {
    }

    /** One page: an installation has few organizations, so there is never a next one. */
    @GetMapping
    Page list() {
        return new Page(organizations.summaries(), null);
    }

    record NewOrganization(@NotBlank @Size(max = 200) String name, @Size(max = 63) String slug, @Size(max = 20) String locale,
                           @NotBlank @Email String adminEmail, @Size(max = 200) String adminName,
                           @NotBlank @Size(min = 8, max = 200) String adminPassword) {
    }

    record CreatedOrganization(OrganizationSummary organization, User admin) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CreatedOrganization create(@Valid @RequestBody NewOrganization body) {
        var created = setup.create(new OrganizationSetup.NewOrganization(body.name(), body.slug(), body.locale(),
                body.adminName(), body.adminEmail(), body.adminPassword()));
        OrganizationSummary summary = organizations.summaries().stream()
                .filter(o -> o.id().equals(created.organization().id())).findFirst().orElseThrow();
        return new CreatedOrganization(summary, created.admin());
    }

    @PostMapping("/{id}/suspend")
    OrganizationSummary suspend(@PathVariable UUID id) {
        return organizations.changeStatus(id, OrganizationStatus.SUSPENDED);
    }

    @PostMapping("/{id}/reactivate")
    OrganizationSummary reactivate(@PathVariable UUID id) {
        return organizations.changeStatus(id, OrganizationStatus.ACTIVE);
    }
}
