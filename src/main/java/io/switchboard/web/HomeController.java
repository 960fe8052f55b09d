package io.switchboard.web;

import io.switchboard.identity.Caller;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Landing page after sign-in. */
@Controller
class HomeController {

    @GetMapping("/")
    String home(@AuthenticationPrincipal Caller caller, Model model) {
        model.addAttribute("caller", caller);
        return "home";
    }
}
