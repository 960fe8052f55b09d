package io.switchboard.crm;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Kommo connection page (administrators): subdomain and token, the handoff stage picked from the account's real
 * pipeline stages, a Test button, and the webhook URL to paste into Kommo (shown once, when its secret is made).
 * Saving goes through the same checks as {@code PUT /api/v1/crm/kommo}.
 */
@Controller
@RequestMapping("/admin/crm")
class KommoPage {

    private final KommoConnections connections;
    private final KommoLeads leads;
    private final KommoConnectionApi api;

    KommoPage(KommoConnections connections, KommoLeads leads, KommoConnectionApi api) {
        this.connections = connections;
        this.leads = leads;
        this.api = api;
    }

    @GetMapping
    String page(Model model) {
        var described = connections.describe();
        model.addAttribute("connection", described.orElse(null));
        if (described.isPresent() && !model.containsAttribute("pipelines")) {
            try {
                model.addAttribute("pipelines", connections.find().map(leads::pipelines).orElse(List.of()));
            } catch (IllegalStateException unreachable) {
                model.addAttribute("pipelines", List.of());
                model.addAttribute("unreachable", unreachable.getMessage());
            }
        }
        return "crm/kommo";
    }

    @PostMapping
    String save(@RequestParam(defaultValue = "") String subdomain, @RequestParam(defaultValue = "") String token,
                @RequestParam(name = "handoff_stage", required = false) String handoffStage,
                @RequestParam(name = "rotate", defaultValue = "false") boolean rotate, HttpServletRequest request,
                RedirectAttributes redirect) {
        String where = subdomain.strip();
        boolean url = where.startsWith("http://") || where.startsWith("https://");
        // the stage select sends "pipeline:stage"; a typed stage id has no pipeline
        Long pipeline = null;
        Long stage = null;
        try {
            if (handoffStage != null && !handoffStage.isBlank()) {
                String[] parts = handoffStage.strip().split(":");
                stage = Long.parseLong(parts[parts.length - 1]);
                pipeline = parts.length > 1 ? Long.parseLong(parts[0]) : null;
            }
        } catch (NumberFormatException e) {
            redirect.addFlashAttribute("formError", "The handoff stage is a Kommo stage id (a number).");
            return "redirect:/admin/crm";
        }
        try {
            var saved = api.put(new KommoConnectionApi.ConnectionRequest(url ? where : null, url ? null : where, token, stage, pipeline,
                    rotate), request);
            redirect.addFlashAttribute("notice", "crm.saved");
            if (saved.webhookSecret() != null) {
                redirect.addFlashAttribute("webhookUrl", saved.webhookUrl());
            }
        } catch (ResponseStatusException refused) {
            redirect.addFlashAttribute("formError", refused.getReason());
        }
        return "redirect:/admin/crm";
    }

    @PostMapping("/test")
    String test(RedirectAttributes redirect) {
        try {
            var pipelines = connections.find().map(leads::pipelines)
                    .orElseThrow(() -> new IllegalStateException("Kommo is not connected yet: save the connection first."));
            redirect.addFlashAttribute("tested", pipelines.size());
        } catch (IllegalStateException e) {
            redirect.addFlashAttribute("formError", e.getMessage());
        }
        return "redirect:/admin/crm";
    }
}
