package io.switchboard.web;

import io.switchboard.identity.OrganizationSetup;
import io.switchboard.identity.OrganizationStatus;
import io.switchboard.identity.Organizations;
import io.switchboard.refusal.Refusal;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The instance operator's small page: every organization, a new one with its first administrator, suspension. */
@Controller
@RequestMapping("/operator/organizations")
class OperatorController {

    private final Organizations organizations;
    private final OrganizationSetup setup;

    OperatorController(Organizations organizations, OrganizationSetup setup) {
        this.organizations = organizations;
        this.setup = setup;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("organizations", organizations.summaries());
        return "operator/organizations";
    }

    @PostMapping
    String create(@RequestParam String organization, @RequestParam String name, @RequestParam String email,
                  @RequestParam String password, Model model) {
        try {
            setup.create(new OrganizationSetup.NewOrganization(organization, null, null, name, email, password));
            return "redirect:/operator/organizations";
        } catch (Refusal e) {
            model.addAttribute("error", e.getMessage());
            return list(model);
        }
    }

    @PostMapping("/{id}/suspend")
    String suspend(@PathVariable UUID id) {
        organizations.changeStatus(id, OrganizationStatus.SUSPENDED);
        return "redirect:/operator/organizations";
    }

    @PostMapping("/{id}/reactivate")
    String reactivate(@PathVariable UUID id) {
        organizations.changeStatus(id, OrganizationStatus.ACTIVE);
        return "redirect:/operator/organizations";
    }
}
