package io.switchboard.integration;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A connection as an administrator sees it: its settings and the names of the secrets stored for it, never
 * their values; and how its last Test connection went.
 */
public record Integration(UUID id, IntegrationKind kind, String name, Map<String, Object> settings, List<String> secretsSet,
                          Instant lastTestedAt, Boolean lastTestOk, String lastTestMessage, Instant createdAt, Instant updatedAt) {
}
