package io.switchboard.identity;

/** What a person or token may do inside its organization. */
public enum Role {
    /** Configures the organization: channels, AI agents, users, tokens. */
    ADMIN,
    /** Works the inbox. */
    AGENT;

    public String authority() {
        return "ROLE_" + name();
    }
}
