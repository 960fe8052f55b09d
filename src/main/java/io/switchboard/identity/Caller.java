package io.switchboard.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * Who is calling: a person signed in with a session, a person's API token, or an integration token.
 * Integration tokens are not people: actions reserved to humans (reactivating the AI, for one) check
 * {@link #human()}.
 */
public final class Caller implements UserDetails, CredentialsContainer {

    /** Authority held by people (sessions and personal tokens), never by integration tokens. */
    public static final String HUMAN = "HUMAN";

    /** Authority of the instance operator, who manages organizations across the installation. */
    public static final String OPERATOR = "ROLE_OPERATOR";

    public enum Kind { SESSION, USER_TOKEN, INTEGRATION_TOKEN }

    private final UUID organizationId;
    private final UUID userId;
    private final String email;
    private final String name;
    private final Role role;
    private final Kind kind;
    private final boolean active;
    private final boolean operator;
    private final int sessionEpoch;
    private String passwordHash;

    Caller(UUID organizationId, UUID userId, String email, String name, Role role, Kind kind, boolean active,
           boolean operator, int sessionEpoch, String passwordHash) {
        this.organizationId = organizationId;
        this.userId = userId;
        this.email = email;
        this.name = name;
        this.role = role;
        this.kind = kind;
        this.active = active;
        this.operator = operator;
        this.sessionEpoch = sessionEpoch;
        this.passwordHash = passwordHash;
    }

    /** May create, suspend and list organizations (the instance operator). */
    public boolean operator() {
        return operator;
    }

    /** The user's session epoch when this session was opened; a later epoch ends the session. */
    int sessionEpoch() {
        return sessionEpoch;
    }

    public UUID organizationId() {
        return organizationId;
    }

    /** The person's user id; null for an integration token. */
    public UUID userId() {
        return userId;
    }

    public String email() {
        return email;
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    public Kind kind() {
        return kind;
    }

    public boolean human() {
        return kind != Kind.INTEGRATION_TOKEN;
    }

    public boolean admin() {
        return role == Role.ADMIN;
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        List<GrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority(role.authority()));
        if (role == Role.ADMIN) {
            // an administrator can do everything an agent can
            authorities.add(new SimpleGrantedAuthority(Role.AGENT.authority()));
        }
        if (human()) {
            authorities.add(new SimpleGrantedAuthority(HUMAN));
        }
        if (operator) {
            authorities.add(new SimpleGrantedAuthority(OPERATOR));
        }
        return authorities;
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return email != null ? email : "token";
    }

    @Override
    public boolean isEnabled() {
        return active;
    }

    @Override
    public void eraseCredentials() {
        passwordHash = null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Caller other && java.util.Objects.equals(userId, other.userId)
                && organizationId.equals(other.organizationId) && kind == other.kind;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(organizationId, userId, kind);
    }
}
