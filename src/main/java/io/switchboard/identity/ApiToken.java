package io.switchboard.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * A bearer token for the REST API. Only its hash is stored; {@code prefix} lets people recognise it.
 * A token with a user acts as that person; one without is an integration.
 */
public record ApiToken(UUID id, UUID userId, String name, String tokenPrefix, Role role, Instant createdAt,
                       Instant lastUsedAt, Instant revokedAt) {
}
