package io.switchboard.automation;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.identity.Caller;
import io.switchboard.refusal.Refusal;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * What automation adds to the inbox's conversation panel and to the contact page: the macros to run with one click,
 * the link to edit the contact, the CRM lead it is linked to, and the contact's activities (listed, added, completed).
 */
@Controller
class ConversationPanel {

    private final Conversations conversations;
    private final Contacts contacts;
    private final Macros macros;
    private final Activities activities;

    ConversationPanel(Conversations conversations, Contacts contacts, Macros macros, Activities activities) {
        this.conversations = conversations;
        this.contacts = contacts;
        this.macros = macros;
        this.activities = activities;
    }

    @GetMapping("/inbox/conversations/{id}/automation")
    String panel(@PathVariable UUID id, Model model) {
        return panelBody(conversations.find(id), model);
    }

    @PostMapping("/inbox/conversations/{id}/automation/macros")
    String runMacro(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @RequestParam UUID macro, Model model) {
        Macro chosen = macros.get(macro);
        Macros.Ran ran = macros.run(macro, id, caller.userId());
        if (ran.error() != null) {
            model.addAttribute("macroError", ran.error());
        } else {
            model.addAttribute("ran", chosen.name());
        }
        return panelBody(conversations.find(id), model);
    }

    @GetMapping("/inbox/contacts/{id}/activities")
    String activities(@PathVariable UUID id, Model model) {
        return activityList(id, model);
    }

    @PostMapping("/inbox/contacts/{id}/activities")
    String addActivity(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @RequestParam(defaultValue = "") String title,
                       Model model) {
        contacts.get(id);
        try {
            activities.create(id, null, caller.userId(), title, null, null);
        } catch (Refusal ignored) {
            // an empty title adds nothing; the list is shown again as it was
        }
        return activityList(id, model);
    }

    @PostMapping("/inbox/activities/{id}/complete")
    String complete(@PathVariable UUID id, @RequestParam(defaultValue = "true") boolean done, Model model) {
        Activity activity = activities.complete(id, done);
        return activityList(activity.contactId(), model);
    }

    private String panelBody(Conversation conversation, Model model) {
        Contact contact = contacts.get(conversation.contactId());
        model.addAttribute("conversationId", conversation.id());
        model.addAttribute("contactId", contact.id());
        model.addAttribute("macros", macros.list());
        model.addAttribute("lead", contact.crmLeadId() == null ? null : contact.crmLeadId().toString());
        model.addAttribute("leadStage", contact.crmStageId() == null ? null
                : conversations.stageNameOfCrmStage(contact.crmStageId()).orElse(contact.crmStageId().toString()));
        return "automation/panel :: panelBody";
    }

    private String activityList(UUID contactId, Model model) {
        model.addAttribute("contactId", contactId);
        model.addAttribute("activities", activities.ofContact(contactId));
        return "automation/panel :: activityList";
    }
}
