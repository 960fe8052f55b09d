package io.switchboard.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** After sign-in people land where the work is: the inbox. */
@Controller
class HomeController {

    @GetMapping("/")
    String home() {
        return "redirect:/inbox";
    }
}
