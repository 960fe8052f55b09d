package io.switchboard.identity;

import java.time.Instant;
import java.util.UUID;

/** A person who works in an organization: an administrator or an inbox agent. */
public record User(UUID id, UUID organizationId, String email, String name, Role role, boolean active,
                   boolean available, Instant createdAt) {
}
