package io.switchboard.web;

import io.switchboard.conversation.Funnels;
import io.switchboard.refusal.Refusal;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Administrators set up funnels: create, rename, order and archive stages, the default funnel, the human-handoff stage. */
@Controller
@RequestMapping("/admin/funnels")
class AdminFunnelsController {

    private final Funnels funnels;

    AdminFunnelsController(Funnels funnels) {
        this.funnels = funnels;
    }

    @GetMapping
    String page(Model model) {
        model.addAttribute("funnels", funnels.list(true));
        return "admin/funnels";
    }

    @PostMapping
    String create(@RequestParam String name, @RequestParam(defaultValue = "") String stages, RedirectAttributes redirect) {
        return done(redirect, () -> funnels.create(name, Arrays.stream(stages.split("\n")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList(), false));
    }

    @PostMapping("/{id}/default")
    String makeDefault(@PathVariable UUID id, RedirectAttributes redirect) {
        return done(redirect, () -> funnels.makeDefault(id));
    }

    @PostMapping("/{id}/archive")
    String archive(@PathVariable UUID id, @RequestParam boolean archived, RedirectAttributes redirect) {
        return done(redirect, () -> funnels.archiveFunnel(id, archived));
    }

    @PostMapping("/{id}/stages")
    String addStage(@PathVariable UUID id, @RequestParam String name, RedirectAttributes redirect) {
        return done(redirect, () -> funnels.addStage(id, name));
    }

    @PostMapping("/stages/{stageId}")
    String changeStage(@PathVariable UUID stageId, @RequestParam(required = false) String name,
                       @RequestParam(required = false) Integer move, @RequestParam(required = false) Boolean archived,
                       @RequestParam(required = false) Boolean handoff, @RequestParam(required = false) String crmStage,
                       RedirectAttributes redirect) {
        return done(redirect, () -> {
            if (name != null) {
                funnels.renameStage(stageId, name);
            }
            if (move != null) {
                funnels.moveStage(stageId, move);
            }
            if (archived != null) {
                funnels.archiveStage(stageId, archived);
            }
            if (handoff != null) {
                funnels.setHandoffStage(stageId, handoff);
            }
            if (crmStage != null) {
                try {
                    funnels.mapToCrmStage(stageId, crmStage.isBlank() ? null : Long.parseLong(crmStage.strip()));
                } catch (NumberFormatException e) {
                    throw new io.switchboard.refusal.InvalidInput("The Kommo stage id is a number.");
                }
            }
        });
    }

    private static String done(RedirectAttributes redirect, Runnable change) {
        try {
            change.run();
            redirect.addFlashAttribute("notice", "funnel.saved");
        } catch (Refusal refused) {
            redirect.addFlashAttribute("formError", refused.getMessage());
        }
        return "redirect:/admin/funnels";
    }
}
