package io.switchboard.web;

import io.switchboard.identity.OrganizationChoice;
import io.switchboard.identity.OrganizationSetup;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The sign-in page (Spring Security processes the form itself); a fresh installation first needs setting up. */
@Controller
class LoginController {

    private final OrganizationSetup setup;
    private final OrganizationChoice organizationChoice;

    LoginController(OrganizationSetup setup, OrganizationChoice organizationChoice) {
        this.setup = setup;
        this.organizationChoice = organizationChoice;
    }

    @GetMapping("/login")
    String login() {
        return setup.setUpNeeded() ? "redirect:/setup" : "login";
    }

    /** After a password that opens accounts in several organizations: which one to enter. */
    @GetMapping(OrganizationChoice.PAGE)
    String organizations(HttpServletRequest request, Model model) {
        var options = organizationChoice.options(request);
        if (options.isEmpty()) {
            return "redirect:/login";
        }
        model.addAttribute("options", options);
        return "login-organization";
    }

    @PostMapping(OrganizationChoice.PAGE)
    String chooseOrganization(@RequestParam(name = "organization_id", required = false) UUID organizationId,
                              HttpServletRequest request, HttpServletResponse response) {
        return organizationId != null && organizationChoice.choose(request, response, organizationId) ? "redirect:/" : "redirect:/login?error";
    }
}
