package io.switchboard.identity;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.switchboard.refusal.InvalidInput;

/** {@code /api/v1/me/presence}: a person sets online / away / offline; {@code /api/v1/presences}: who is at work. */
@RestController
@RequestMapping("/api/v1")
class PresenceApi {

    private final Presence presence;

    PresenceApi(Presence presence) {
        this.presence = presence;
    }

    record PresenceChange(Presence.Status presence) {
    }

    record PresencePage(List<Presence.PersonPresence> items, String nextCursor) {
    }

    @GetMapping("/me/presence")
    @Operation(summary = "Your presence: online (receives conversations), away (keeps yours, gets no new ones) or offline")
    Presence.PersonPresence mine(@AuthenticationPrincipal Caller caller) {
        return presence.find(person(caller));
    }

    @PutMapping("/me/presence")
    @Operation(summary = "Set your presence; an open inbox keeps it, and it turns offline once every inbox of yours is closed for a while")
    Presence.PersonPresence set(@AuthenticationPrincipal Caller caller, @RequestBody PresenceChange body) {
        if (body == null || body.presence() == null) {
            throw new InvalidInput("presence is required: online, away or offline");
        }
        return presence.set(person(caller), body.presence());
    }

    @GetMapping("/presences")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Everyone's presence, online first")
    PresencePage list(@RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > 500) {
            throw new InvalidInput("limit must be between 1 and 500");
        }
        int from = 0;
        if (cursor != null && !cursor.isBlank()) {
            try {
                from = Integer.parseInt(cursor);
            } catch (NumberFormatException e) {
                throw new InvalidInput("cursor '" + cursor + "' is not one this API returned");
            }
        }
        List<Presence.PersonPresence> all = presence.list();
        int to = Math.min(all.size(), from + limit);
        return new PresencePage(from >= all.size() ? List.of() : all.subList(from, to), to < all.size() ? Integer.toString(to) : null);
    }

    private static java.util.UUID person(Caller caller) {
        if (caller.userId() == null) {
            throw new InvalidInput("an integration token is not a person and has no presence");
        }
        return caller.userId();
    }
}
