package io.switchboard.web;

import io.switchboard.identity.Caller;
import io.switchboard.knowledge.ContactMemories;
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
 * The contact panel's "what the AI remembers" list: every person who sees the conversation can correct a memory,
 * delete it or write one by hand. Each action answers with the list again (htmx swaps it in place).
 */
@Controller
@RequestMapping("/inbox/contacts/{contactId}/memories")
class ContactMemoriesController {

    private final ContactMemories memories;

    ContactMemoriesController(ContactMemories memories) {
        this.memories = memories;
    }

    @GetMapping
    String list(@PathVariable UUID contactId, Model model) {
        return list(contactId, model, null);
    }

    @PostMapping
    String add(@PathVariable UUID contactId, @RequestParam(defaultValue = "") String fact, @AuthenticationPrincipal Caller caller,
               Model model) {
        String error = invalid(fact);
        if (error == null) {
            memories.add(contactId, fact, caller.userId());
        }
        return list(contactId, model, error);
    }

    @PostMapping("/{memoryId}")
    String edit(@PathVariable UUID contactId, @PathVariable UUID memoryId, @RequestParam(defaultValue = "") String fact,
                @AuthenticationPrincipal Caller caller, Model model) {
        String error = invalid(fact);
        if (error == null) {
            memories.edit(contactId, memoryId, fact, caller.userId());
        }
        return list(contactId, model, error);
    }

    @PostMapping("/{memoryId}/delete")
    String delete(@PathVariable UUID contactId, @PathVariable UUID memoryId, Model model) {
        memories.forget(contactId, memoryId);
        return list(contactId, model, null);
    }

    private String list(UUID contactId, Model model, String error) {
        model.addAttribute("contactId", contactId);
        model.addAttribute("memories", memories.of(contactId));
        model.addAttribute("memoryError", error);
        return "memories :: list";
    }

    private static String invalid(String fact) {
        String clean = fact.strip();
        if (clean.isEmpty()) {
            return "memory.error.blank";
        }
        return clean.length() > ContactMemories.MAX_FACT ? "memory.error.long" : null;
    }
}
