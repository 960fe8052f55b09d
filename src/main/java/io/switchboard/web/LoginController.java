package io.switchboard.web;

import io.switchboard.identity.OrganizationSetup;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page (Spring Security processes the form itself); a fresh installation first needs setting up. */
@Controller
class LoginController {

    private final OrganizationSetup setup;

    LoginController(OrganizationSetup setup) {
        this.setup = setup;
    }

    @GetMapping("/login")
    String login() {
        return setup.setUpNeeded() ? "redirect:/setup" : "login";
    }
}
