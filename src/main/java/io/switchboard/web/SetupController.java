package io.switchboard.web;

import io.switchboard.identity.OrganizationSetup;
import io.switchboard.refusal.Refusal;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The first visit to a fresh installation without the demo: create the organization and its first
 * administrator (who is also the instance operator), then sign in. Gone as soon as anyone exists. With
 * {@code switchboard.signup.enabled=true}, {@code /signup} lets anyone create a further organization the same way.
 */
@Controller
class SetupController {

    private final OrganizationSetup setup;
    private final boolean signupEnabled;

    SetupController(OrganizationSetup setup, @Value("${switchboard.signup.enabled:false}") boolean signupEnabled) {
        this.setup = setup;
        this.signupEnabled = signupEnabled;
    }

    @GetMapping("/setup")
    String setupPage(Model model) {
        if (!setup.setUpNeeded()) {
            return "redirect:/login";
        }
        model.addAttribute("signup", false);
        return "setup";
    }

    @PostMapping("/setup")
    String setUp(@RequestParam String organization, @RequestParam String name, @RequestParam String email,
                 @RequestParam String password, Model model) {
        if (!setup.setUpNeeded()) {
            return "redirect:/login";
        }
        return create(() -> setup.setUpFirst(draft(organization, name, email, password)), false, organization, name, email, model);
    }

    @GetMapping("/signup")
    String signupPage(Model model) {
        if (!signupEnabled) {
            return "redirect:/login";
        }
        model.addAttribute("signup", true);
        return "setup";
    }

    @PostMapping("/signup")
    String signUp(@RequestParam String organization, @RequestParam String name, @RequestParam String email,
                  @RequestParam String password, Model model) {
        if (!signupEnabled) {
            return "redirect:/login";
        }
        return create(() -> setup.create(draft(organization, name, email, password)), true, organization, name, email, model);
    }

    private static OrganizationSetup.NewOrganization draft(String organization, String name, String email, String password) {
        return new OrganizationSetup.NewOrganization(organization, null, null, name, email, password);
    }

    private String create(Runnable creation, boolean signup, String organization, String name, String email, Model model) {
        try {
            creation.run();
            return "redirect:/login?created";
        } catch (Refusal e) {
            model.addAttribute("signup", signup);
            model.addAttribute("error", e.getMessage());
            model.addAttribute("organization", organization);
            model.addAttribute("name", name);
            model.addAttribute("email", email);
            return "setup";
        }
    }
}
