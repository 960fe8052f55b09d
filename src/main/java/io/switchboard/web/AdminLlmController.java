package io.switchboard.web;

import io.switchboard.identity.Settings;
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
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The organization's LLM connection, stored under the same settings the API ({@code /api/v1/settings/llm}) and
 * the AI turn use. The key is write-only: the page only says whether one is stored.
 */
@Controller
@RequestMapping("/admin/llm")
class AdminLlmController {

    static final String API_KEY = "llm.api_key";
    static final String BASE_URL = "llm.base_url";
    private static final int MAX_LENGTH = 500;

    private final Settings settings;

    AdminLlmController(Settings settings) {
        this.settings = settings;
    }

    @GetMapping
    String show(Model model) {
        return page(model, baseUrl(), Map.of());
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
        if (url.isEmpty()) {
            // no URL of its own: the installation's default endpoint applies
            settings.remove(BASE_URL);
        } else {
            settings.putJson(BASE_URL, JsonNodeFactory.instance.stringNode(url).toString());
        }
        if (removeApiKey) {
            settings.remove(API_KEY);
        } else if (!apiKey.isBlank()) {
            settings.putSecret(API_KEY, apiKey.strip());
        }
        redirect.addFlashAttribute("notice", "admin.llm.saved");
        return "redirect:/admin/llm";
    }

    private String page(Model model, String baseUrl, Map<String, String> errors) {
        model.addAttribute("baseUrl", baseUrl);
        model.addAttribute("apiKeySet", settings.secret(API_KEY).filter(k -> !k.isBlank()).isPresent());
        model.addAttribute("errors", errors);
        return "admin/llm";
    }

    private String baseUrl() {
        return settings.json(BASE_URL).map(v -> v.replaceAll("^\"|\"$", "")).orElse("");
    }
}
