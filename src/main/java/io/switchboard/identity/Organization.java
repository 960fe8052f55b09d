package io.switchboard.identity;

import java.util.UUID;

/** A tenant: a business using Switchboard. Nothing ever crosses organizations. */
public record Organization(UUID id, String name, String slug, String locale) {
}
