package io.switchboard.web;

import io.switchboard.identity.Caller;
import io.switchboard.identity.Role;
import io.switchboard.identity.User;
import io.switchboard.identity.Users;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import io.switchboard.refusal.Conflict;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Administrators manage the people of their organization (the security chain limits /admin to ADMIN). */
@Controller
@RequestMapping("/admin/users")
class AdminUsersController {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final Users users;

    AdminUsersController(Users users) {
        this.users = users;
    }

    /** What the create form sends; kept to show it again next to its errors. */
    record NewUser(String email, String name, String password, Role role) {
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("users", users.list());
        model.addAttribute("form", new NewUser("", "", "", Role.AGENT));
        model.addAttribute("errors", Map.of());
        return "admin/users";
    }

    @PostMapping
    String create(@AuthenticationPrincipal Caller caller, @ModelAttribute NewUser form, Model model,
                  HttpServletResponse response, RedirectAttributes redirect) {
        Map<String, String> errors = new LinkedHashMap<>();
        String email = form.email() == null ? "" : form.email().strip();
        if (!EMAIL.matcher(email).matches()) {
            errors.put("email", "error.user.email");
        } else if (users.exists(email)) {
            errors.put("email", "error.user.emailTaken");
        }
        if (form.name() == null || form.name().isBlank()) {
            errors.put("name", "error.user.name");
        }
        if (form.password() == null || form.password().length() < 8) {
            errors.put("password", "error.user.password");
        }
        if (form.role() == null) {
            errors.put("role", "error.user.role");
        }
        if (errors.isEmpty()) {
            try {
                users.create(caller.organizationId(), email, form.name(), form.password(), form.role());
                redirect.addFlashAttribute("notice", "admin.users.created");
                redirect.addFlashAttribute("noticeArg", email);
                return "redirect:/admin/users";
            } catch (Conflict e) {
                // the e-mail was taken in between
                errors.put("email", "error.user.emailTaken");
            }
        }
        response.setStatus(422);
        model.addAttribute("users", users.list());
        model.addAttribute("form", new NewUser(email, form.name(), "", form.role()));
        model.addAttribute("errors", errors);
        return "admin/users";
    }

    /** Changes a person's role or whether they may sign in; nobody can lock themselves out. */
    @PostMapping("/{id}")
    String update(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @RequestParam Role role,
                  @RequestParam(defaultValue = "false") boolean active, RedirectAttributes redirect) {
        User user = users.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (user.id().equals(caller.userId()) && (role != Role.ADMIN || !active)) {
            redirect.addFlashAttribute("actionError", "error.user.self");
            return "redirect:/admin/users";
        }
        users.update(id, null, role, active, null);
        redirect.addFlashAttribute("notice", "admin.users.updated");
        redirect.addFlashAttribute("noticeArg", user.email());
        return "redirect:/admin/users";
    }
}
