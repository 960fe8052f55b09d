package io.switchboard.web;

import io.switchboard.identity.Caller;
import io.switchboard.identity.Presence;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/** The availability toggle in the inbox header: online, away or offline. */
@Controller
class PresenceController {

    private final Presence presence;

    PresenceController(Presence presence) {
        this.presence = presence;
    }

    /** The toggle as it is now: opening the live inbox may just have brought the person online. */
    @GetMapping("/presence")
    String current() {
        return "routing :: presence";
    }

    @PostMapping("/presence")
    String set(@AuthenticationPrincipal Caller caller, @RequestParam String presence,
               @RequestHeader(name = "HX-Request", required = false) String htmx) {
        this.presence.set(caller.userId(), Presence.Status.parse(presence));
        if (htmx != null) {
            return "routing :: presence";
        }
        return "redirect:/inbox";
    }
}
