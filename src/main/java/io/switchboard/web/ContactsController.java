package io.switchboard.web;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.Inbox;
import io.switchboard.refusal.Refusal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * People manage contacts: search and list, a contact's details with all its conversations, edit name / phone /
 * e-mail / custom attributes, add and remove tags, and merge a duplicate into it.
 */
@Controller
@RequestMapping("/contacts")
class ContactsController {

    private static final UUID NONE = new UUID(0, 0);

    private final Contacts contacts;
    private final Inbox inbox;
    private final JsonMapper json;

    ContactsController(Contacts contacts, Inbox inbox, JsonMapper json) {
        this.contacts = contacts;
        this.inbox = inbox;
        this.json = json;
    }

    @GetMapping
    String list(@RequestParam(required = false) String q, Model model) {
        model.addAttribute("q", q);
        model.addAttribute("contacts", contacts.search(q, 100));
        return "contacts";
    }

    @GetMapping("/{id}")
    String detail(@PathVariable UUID id, Model model) {
        Contact contact = contacts.get(id);
        model.addAttribute("contact", contact);
        model.addAttribute("attributes", attributesText(contact));
        model.addAttribute("tags", contacts.tags(id));
        model.addAttribute("conversations", inbox.previousConversations(id, NONE, 50));
        model.addAttribute("duplicates", contacts.possibleDuplicates(id));
        return "contact";
    }

    @PostMapping("/{id}")
    String edit(@PathVariable UUID id, @RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String phone,
                @RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String attributes,
                RedirectAttributes redirect) {
        return done(id, redirect, "contact.saved", () -> contacts.edit(id, name, phone, email, attributesJson(attributes)));
    }

    @PostMapping("/{id}/tags")
    String tag(@PathVariable UUID id, @RequestParam(defaultValue = "") String tag, RedirectAttributes redirect) {
        return done(id, redirect, "contact.tagged", () -> {
            if (tag.isBlank() || tag.length() > 60) {
                throw new io.switchboard.refusal.InvalidInput("Give the tag a name (at most 60 characters).");
            }
            contacts.tag(id, tag);
        });
    }

    @PostMapping("/{id}/tags/remove")
    String untag(@PathVariable UUID id, @RequestParam String tag, RedirectAttributes redirect) {
        return done(id, redirect, "contact.untagged", () -> contacts.untag(id, tag));
    }

    @PostMapping("/{id}/merge")
    String merge(@PathVariable UUID id, @RequestParam("duplicate") UUID duplicate, RedirectAttributes redirect) {
        return done(id, redirect, "contact.merged", () -> contacts.merge(id, duplicate));
    }

    private static String done(UUID id, RedirectAttributes redirect, String notice, Runnable change) {
        try {
            change.run();
            redirect.addFlashAttribute("notice", notice);
        } catch (Refusal refused) {
            redirect.addFlashAttribute("formError", refused.getMessage());
        }
        return "redirect:/contacts/" + id;
    }

    /** Custom attributes as the form shows them: one {@code key = value} per line. */
    private String attributesText(Contact contact) {
        StringBuilder out = new StringBuilder();
        if (contact.customAttributes() != null) {
            json.readTree(contact.customAttributes()).properties().forEach(e -> out.append(e.getKey()).append(" = ")
                    .append(e.getValue().isValueNode() ? e.getValue().asString() : e.getValue().toString()).append('\n'));
        }
        return out.toString();
    }

    private String attributesJson(String text) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (line.isBlank()) {
                continue;
            }
            if (eq <= 0) {
                throw new io.switchboard.refusal.InvalidInput("Custom attributes are one 'name = value' per line: '" + line.strip() + "'");
            }
            attributes.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return json.writeValueAsString(attributes);
    }
}
