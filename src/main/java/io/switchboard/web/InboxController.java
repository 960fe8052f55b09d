package io.switchboard.web;

import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Inbox;
import io.switchboard.conversation.SenderType;
import io.switchboard.identity.Caller;
import io.switchboard.identity.User;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import io.switchboard.refusal.Conflict;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import jakarta.servlet.http.HttpServletResponse;

/** The agent inbox: queues, one conversation, and what a person can do with it. */
@Controller
@RequestMapping("/inbox")
class InboxController {

    static final int MAX_TEXT = 4000;

    private final InboxPages pages;
    private final Conversations conversations;
    private final InboxStream stream;
    private final PresenceStreams presenceStreams;

    InboxController(InboxPages pages, Conversations conversations, InboxStream stream, PresenceStreams presenceStreams) {
        this.pages = pages;
        this.conversations = conversations;
        this.stream = stream;
        this.presenceStreams = presenceStreams;
    }

    @GetMapping
    String inbox(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) String tab,
                 @RequestParam(required = false) String cursor, @RequestParam(required = false) String q, Model model) {
        model.addAttribute("list", pages.list(caller.userId(), tab(tab), cursor, q));
        return "inbox";
    }

    /** The tabs with their counts and the rows, re-fetched by the page when something changes. */
    @GetMapping("/list")
    String list(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) String tab,
                @RequestParam(required = false) String cursor, @RequestParam(required = false) String q, Model model) {
        model.addAttribute("list", pages.list(caller.userId(), tab(tab), cursor, q));
        return "inbox :: list";
    }

    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(@AuthenticationPrincipal Caller caller, HttpServletResponse response) {
        // proxies such as nginx would otherwise buffer the stream
        response.setHeader("X-Accel-Buffering", "no");
        return presenceStreams.track(caller, stream.open(caller.organizationId()));
    }

    @GetMapping("/conversations/{id}")
    String conversation(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, Model model) {
        model.addAttribute("view", view(caller, id));
        return "conversation";
    }

    /** The conversation's state line (status, owner, AI), re-fetched when it changes. */
    @GetMapping("/conversations/{id}/state")
    String state(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, Model model) {
        model.addAttribute("view", stateView(caller, id));
        return "conversation :: state";
    }

    /** Actions, contact and history panel, re-fetched when the conversation changes. */
    @GetMapping("/conversations/{id}/side")
    String side(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, Model model) {
        model.addAttribute("view", stateView(caller, id));
        return "conversation :: side";
    }

    /** The page of messages before {@code before}, loaded when the person scrolls up to it. */
    @GetMapping("/conversations/{id}/messages")
    String olderMessages(@PathVariable UUID id, @RequestParam UUID before, Model model) {
        try {
            model.addAttribute("batch", pages.olderMessages(id, before)
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND)));
        } catch (Inbox.InvalidQueryException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        return "conversation :: older";
    }

    /**
     * Only the messages written or changed since {@code since} (the time the page last read them): a live event
     * adds or replaces those elements instead of re-rendering the whole history.
     */
    @GetMapping("/conversations/{id}/messages/changes")
    String changedMessages(@PathVariable UUID id, @RequestParam long since, Model model) {
        model.addAttribute("batch", pages.changedMessages(id, java.time.Instant.ofEpochMilli(since))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND)));
        return "conversation :: changes";
    }

    /** Replying as a person takes the conversation first, so the AI stops answering it. */
    @PostMapping("/conversations/{id}/reply")
    String reply(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @RequestParam(defaultValue = "") String text,
                 Model model, HttpServletResponse response) {
        String error = validateText(text);
        if (error != null) {
            return rejected(caller, id, "replyError", error, text, model, response);
        }
        Conversation conversation = conversations.find(id);
        if (!caller.userId().equals(conversation.agentId())) {
            conversations.assignToHuman(id, caller.userId(), caller.userId());
        }
        conversations.postOutbound(id, SenderType.AGENT, caller.userId(), null, text.strip(), null, null, false);
        return redirectTo(id);
    }

    @PostMapping("/conversations/{id}/note")
    String note(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @RequestParam(defaultValue = "") String text,
                Model model, HttpServletResponse response) {
        String error = validateText(text);
        if (error != null) {
            return rejected(caller, id, "noteError", error, text, model, response);
        }
        conversations.postOutbound(id, SenderType.AGENT, caller.userId(), null, text.strip(), null, null, true);
        return redirectTo(id);
    }

    @PostMapping("/conversations/{id}/take-over")
    String takeOver(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        conversations.assignToHuman(id, caller.userId(), caller.userId());
        return redirectTo(id);
    }

    @PostMapping("/conversations/{id}/transfer")
    String transfer(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
                    @RequestParam(required = false) UUID userId, Model model, HttpServletResponse response) {
        boolean known = userId != null && pages.people().stream().filter(User::active).anyMatch(u -> u.id().equals(userId));
        if (!known) {
            return rejected(caller, id, "transferError", "error.transfer.person", null, model, response);
        }
        conversations.assignToHuman(id, userId, caller.userId());
        return redirectTo(id);
    }

    @PostMapping("/conversations/{id}/close")
    String close(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        conversations.close(id, "agent", caller.userId());
        return redirectTo(id);
    }

    @PostMapping("/conversations/{id}/reopen")
    String reopen(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, RedirectAttributes redirect) {
        try {
            conversations.reopen(id, "agent", caller.userId());
        } catch (Conflict e) {
            redirect.addFlashAttribute("actionError", "error.reopen.conflict");
        }
        return redirectTo(id);
    }

    @PostMapping("/conversations/{id}/messages/{messageId}/retry")
    String retry(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @PathVariable UUID messageId,
                 RedirectAttributes redirect) {
        try {
            conversations.retryDelivery(id, messageId, caller.userId());
        } catch (Conflict e) {
            redirect.addFlashAttribute("actionError", "error.retry.notFailed");
        }
        return redirectTo(id);
    }

    /** Only a signed-in person may let the AI speak again (SPEC §4); sessions are always people. */
    @PostMapping("/conversations/{id}/reactivate-ai")
    String reactivateAi(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        if (!caller.human()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        conversations.reactivateAi(id, caller.userId(), "agent");
        return redirectTo(id);
    }

    @PostMapping("/conversations/{id}/tags")
    String addTag(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @RequestParam(defaultValue = "") String tag,
                  Model model, HttpServletResponse response) {
        String name = tag.strip();
        if (name.isEmpty() || name.length() > 60) {
            return rejected(caller, id, "tagError", "error.tag.invalid", tag, model, response);
        }
        conversations.addTag(id, name);
        return redirectTo(id);
    }

    private InboxPages.ConversationView stateView(Caller caller, UUID id) {
        return pages.conversationState(caller.userId(), id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private InboxPages.ConversationView view(Caller caller, UUID id) {
        return pages.conversation(caller.userId(), id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    /** The page again with the error beside the field and what the person typed kept (422: htmx swaps it in). */
    private String rejected(Caller caller, UUID id, String field, String messageKey, String typed, Model model,
                            HttpServletResponse response) {
        response.setStatus(422);
        model.addAttribute("view", view(caller, id));
        model.addAttribute(field, messageKey);
        model.addAttribute("typed", typed);
        return "conversation";
    }

    private static String validateText(String text) {
        if (text.isBlank()) {
            return "error.text.empty";
        }
        return text.length() > MAX_TEXT ? "error.text.long" : null;
    }

    private static String redirectTo(UUID id) {
        return "redirect:/inbox/conversations/" + id;
    }

    private static Inbox.Tab tab(String value) {
        return Arrays.stream(Inbox.Tab.values()).filter(t -> t.name().equalsIgnoreCase(value)).findFirst()
                .orElse(Inbox.Tab.OPEN);
    }
}
