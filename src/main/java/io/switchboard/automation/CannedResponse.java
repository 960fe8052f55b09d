package io.switchboard.automation;

import java.util.UUID;

/** A text a person inserts by typing {@code /shortcut}; {@code userId} null: shared by the organization. */
public record CannedResponse(UUID id, UUID userId, String shortcut, String content) {

    public boolean shared() {
        return userId == null;
    }
}
