package io.switchboard.web;

import io.switchboard.ai.AiAgents;
import io.switchboard.knowledge.Feedback;
import io.switchboard.knowledge.FeedbackRecords;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Supervisors' list of feedback records (complaints, requests for a person, unhelpful answers, praise, suggestions). */
@Controller
@RequestMapping("/admin/feedback")
class AdminFeedbackController {

    static final int PAGE = 50;

    private final FeedbackRecords records;
    private final AiAgents agents;

    AdminFeedbackController(FeedbackRecords records, AiAgents agents) {
        this.records = records;
        this.agents = agents;
    }

    @GetMapping
    String list(@RequestParam(defaultValue = "") String kind, @RequestParam(name = "agent", required = false) UUID agentId,
                @RequestParam(required = false) String cursor, Model model) {
        // an unknown kind in the address lists everything rather than failing the page
        Feedback.Kind chosen = Arrays.stream(Feedback.Kind.values()).filter(k -> k.db().equals(kind)).findFirst().orElse(null);
        model.addAttribute("page", records.list(new FeedbackRecords.Filter(chosen, agentId, null), cursor, PAGE));
        model.addAttribute("kinds", Feedback.Kind.values());
        model.addAttribute("kind", chosen == null ? "" : chosen.db());
        model.addAttribute("agent", agentId);
        model.addAttribute("agents", agents.list());
        return "admin/feedback";
    }
}
