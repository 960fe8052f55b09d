package io.switchboard.identity;

import io.switchboard.database.TenantScope;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Who am I, the organization's users, and its API tokens. */
@RestController
@RequestMapping("/api/v1")
class IdentityApi {

    private final Users users;
    private final ApiTokens tokens;
    private final Organizations organizations;

    IdentityApi(Users users, ApiTokens tokens, Organizations organizations) {
        this.users = users;
        this.tokens = tokens;
        this.organizations = organizations;
    }

    record Me(UUID userId, UUID organizationId, String organizationName, String email, String name, Role role,
              Caller.Kind authentication, boolean human, boolean instanceOperator) {
    }

    @GetMapping("/me")
    Me me(@AuthenticationPrincipal Caller caller) {
        Organization organization = organizations.find(caller.organizationId()).orElseThrow();
        return new Me(caller.userId(), caller.organizationId(), organization.name(), caller.email(), caller.name(),
                caller.role(), caller.kind(), caller.human(), caller.operator());
    }

    record NewUser(@NotBlank @Email String email, @NotBlank @Size(max = 200) String name,
                   @NotBlank @Size(min = 8, max = 200) String password, @NotNull Role role) {
    }

    record UserChange(@Size(min = 1, max = 200) String name, Role role, Boolean active, Boolean available) {
    }

    @GetMapping("/users")
    @PreAuthorize("hasRole('AGENT')")
    List<User> users() {
        return users.list();
    }

    @PostMapping("/users")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.CREATED)
    User createUser(@Valid @RequestBody NewUser body) {
        return users.create(TenantScope.requireOrganization(), body.email(), body.name(), body.password(), body.role());
    }

    @GetMapping("/users/{id}")
    @PreAuthorize("hasRole('AGENT')")
    User user(@PathVariable UUID id) {
        return users.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "user " + id + " not found"));
    }

    @PatchMapping("/users/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    User updateUser(@PathVariable UUID id, @Valid @RequestBody UserChange body) {
        return users.update(id, body.name(), body.role(), body.active(), body.available());
    }

    record NewToken(@NotBlank @Size(max = 200) String name, Role role, Boolean integration, Boolean instanceOperator) {
    }

    record IssuedToken(UUID id, String name, Role role, boolean integration, Instant createdAt, String token) {
    }

    /**
     * Issues a token. A personal token acts as the caller (and carries the caller's role); an integration
     * token (ADMIN only to create) is not a person and is refused human-only actions.
     */
    @PostMapping("/api_tokens")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.CREATED)
    IssuedToken issue(@AuthenticationPrincipal Caller caller, @Valid @RequestBody NewToken body) {
        boolean integration = Boolean.TRUE.equals(body.integration()) || !caller.human();
        Role role = body.role() != null ? body.role() : Role.AGENT;
        if (!integration && role != caller.role()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a personal token carries its owner's role ("
                    + caller.role() + "); set integration=true for a token with another role");
        }
        if (caller.human() && role == Role.ADMIN && caller.role() != Role.ADMIN) {
            throw new io.switchboard.refusal.InvalidInput("a token cannot carry more than your own role (" + caller.role() + ")");
        }
        boolean operator = Boolean.TRUE.equals(body.instanceOperator());
        if (operator && !caller.operator()) {
            throw new io.switchboard.refusal.InvalidInput("only an instance operator can issue an instance_operator token");
        }
        // an integration token issued by a token carries that token's creator forward (null for the bootstrap token)
        UUID createdBy = caller.userId();
        var issued = tokens.issue(caller.organizationId(), integration ? null : caller.userId(), createdBy, body.name(),
                role, operator);
        return new IssuedToken(issued.token().id(), issued.token().name(), role, integration, issued.token().createdAt(),
                issued.value());
    }

    record PasswordChange(@NotBlank String currentPassword, @NotBlank @Size(min = 8, max = 200) String newPassword) {
    }

    /** Changes the signed-in person's password; every session of theirs ends (this one too: sign in again). */
    @PostMapping("/me/password")
    @PreAuthorize("hasAuthority('HUMAN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void changePassword(@AuthenticationPrincipal Caller caller, @Valid @RequestBody PasswordChange body) {
        users.changePassword(caller.userId(), body.currentPassword(), body.newPassword());
    }

    /** Ends every browser session of the person, everywhere (API tokens are revoked one by one). */
    @PostMapping("/me/sign_out_everywhere")
    @PreAuthorize("hasAuthority('HUMAN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void signOutEverywhere(@AuthenticationPrincipal Caller caller) {
        users.signOutEverywhere(caller.userId());
    }

    @GetMapping("/api_tokens")
    @PreAuthorize("hasRole('ADMIN')")
    List<ApiToken> tokens() {
        return tokens.list();
    }

    @DeleteMapping("/api_tokens/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable UUID id) {
        tokens.revoke(id);
    }
}
