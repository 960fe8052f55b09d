package io.switchboard.web;

import io.switchboard.ai.LlmConnections;
import io.switchboard.ai.LlmHealth;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The organization's LLM connection, stored under the same settings the API ({@code /api/v1/settings/llm}) and
 * the AI turn use. The key is write-only: the page only says whether one is stored.
 */
@Controller
@RequestMapping("/admin/llm")
class AdminLlmController {

    private static final int MAX_LENGTH = 500;

    private final LlmConnections connections;
    private final LlmHealth health;

    AdminLlmController(LlmConnections connections, LlmHealth health) {
        this.connections = connections;
        this.health = health;
    }

    /** Calls the provider with the stored key and shows the answer on the page. */
    @PostMapping("/test")
    String test(RedirectAttributes redirect) {
        redirect.addFlashAttribute("test", health.test());
        return "redirect:/admin/llm";
    }

    @GetMapping
    String show(Model model) {
        return page(model, connections.view().baseUrl(), Map.of());
    }

    /** A blank key keeps the stored one (it is never shown, so the field is always empty); removing is explicit. */
    @PostMapping
    String save(@RequestParam(name = "base_url", defaultValue = "") String baseUrl,
                @RequestParam(name = "api_key", defaultValue = "") String apiKey,
                @RequestParam(name = "remove_api_key", defaultValue = "false") boolean removeApiKey,
                Model model, HttpServletResponse response, RedirectAttributes redirect) {
        Map<String, String> errors = new LinkedHashMap<>();
        String url = baseUrl.strip();
        if (!url.isEmpty() && (!url.matches("https?://\\S+") || url.length() > MAX_LENGTH)) {
            errors.put("base_url", "error.llm.baseUrl");
        }
        if (apiKey.strip().length() > MAX_LENGTH) {
            errors.put("api_key", "error.llm.apiKey");
        }
        if (!errors.isEmpty()) {
            response.setStatus(422);
            return page(model, url, errors);
        }
        // a blank URL falls back to the installation's endpoint; a blank key field keeps the stored key
        connections.update(removeApiKey ? "" : apiKey.isBlank() ? null : apiKey, url);
        redirect.addFlashAttribute("notice", "admin.llm.saved");
        return "redirect:/admin/llm";
    }

    private String page(Model model, String baseUrl, Map<String, String> errors) {
        model.addAttribute("baseUrl", baseUrl);
        model.addAttribute("apiKeySet", connections.view().apiKeySet());
        model.addAttribute("lastFailure", health.lastFailure().orElse(null));
        model.addAttribute("errors", errors);
        return "admin/llm";
    }
}
