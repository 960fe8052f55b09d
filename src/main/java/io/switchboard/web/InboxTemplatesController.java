package io.switchboard.web;

import io.switchboard.channel.WhatsAppTemplates;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.SenderType;
import io.switchboard.identity.Caller;
import io.switchboard.refusal.InvalidInput;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * WhatsApp templates in the reply box: once the 24-hour window closed, the approved templates of the conversation's
 * account are offered (loaded after the page, since the provider is asked live) and a person sends one.
 */
@Controller
@RequestMapping("/inbox/conversations/{id}")
class InboxTemplatesController {

    private final WhatsAppTemplates templates;
    private final Conversations conversations;

    InboxTemplatesController(WhatsAppTemplates templates, Conversations conversations) {
        this.templates = templates;
        this.conversations = conversations;
    }

    @GetMapping("/templates")
    String list(@PathVariable UUID id, Model model) {
        return fragment(id, model, null);
    }

    /** Sending takes the conversation, like any reply by a person. */
    @PostMapping("/send_template")
    String send(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @RequestParam String name,
                @RequestParam(defaultValue = "") String language, @RequestParam(name = "variable", required = false) List<String> variables,
                Model model, HttpServletResponse response) {
        Conversation conversation = conversations.find(id);
        try {
            if (!caller.userId().equals(conversation.agentId())) {
                conversations.assignToHuman(id, caller.userId(), caller.userId());
            }
            templates.send(id, name, language, variables, SenderType.AGENT, caller.userId());
        } catch (InvalidInput e) {
            response.setStatus(422);
            return fragment(id, model, e.getMessage());
        }
        // the whole page shows the sent message and the new owner
        response.setHeader("HX-Redirect", "/inbox/conversations/" + id);
        return fragment(id, model, null);
    }

    private String fragment(UUID id, Model model, String error) {
        Conversation conversation = conversations.find(id);
        model.addAttribute("conversationId", id);
        model.addAttribute("templateError", error);
        try {
            model.addAttribute("templates", templates.list(conversation.channelAccountId()));
        } catch (InvalidInput e) {
            model.addAttribute("templates", List.of());
            model.addAttribute("templatesUnavailable", e.getMessage());
        }
        return "conversation-templates :: templates";
    }
}
