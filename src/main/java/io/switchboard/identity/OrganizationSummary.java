package io.switchboard.identity;

import java.time.Instant;
import java.util.UUID;

/** An organization as the instance operator sees it. */
public record OrganizationSummary(UUID id, String name, String slug, String locale, OrganizationStatus status,
                                  Instant createdAt, long users) {
}
