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
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import io.switchboard.conversation.InboxWork;
import io.switchboard.conversation.SavedViews;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;

/** The agent inbox: queues, one conversation, and what a person can do with it. */
@Controller
@RequestMapping("/inbox")
class InboxController {

    static final int MAX_TEXT = 4000;

    private final InboxPages pages;
    private final Conversations conversations;
    private final InboxStream stream;
    private final PresenceStreams presenceStreams;
    private final InboxWork work;
    private final SavedViews savedViews;
    private final Clock clock;

    InboxController(InboxPages pages, Conversations conversations, InboxStream stream, PresenceStreams presenceStreams,
                    InboxWork work, SavedViews savedViews, Clock clock) {
        this.pages = pages;
        this.conversations = conversations;
        this.stream = stream;
        this.presenceStreams = presenceStreams;
        this.work = work;
        this.savedViews = savedViews;
        this.clock = clock;
    }

    static final String LAST_LIST = "switchboard.inbox.lastList";

    @GetMapping
    String inbox(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) String tab,
                 @RequestParam(required = false) String cursor, @RequestParam(required = false) String q,
                 HttpServletRequest request, HttpSession session, Model model) {
        InboxPages.ListView list = pages.list(caller.userId(), tab(tab), cursor, q, filters(request));
        // the conversation page shows the list the person was working through
        session.setAttribute(LAST_LIST, list.queryWithCursor());
        model.addAttribute("list", list);
        return "inbox";
    }

    /** The list pane (tabs, filters, rows), re-fetched by the page when something changes. */
    @GetMapping("/list")
    String list(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) String tab,
                @RequestParam(required = false) String cursor, @RequestParam(required = false) String q,
                HttpServletRequest request, Model model) {
        model.addAttribute("list", pages.list(caller.userId(), tab(tab), cursor, q, filters(request)));
        return "inbox :: list";
    }

    /** Saves the list's current filters under a name, for this person only. */
    @PostMapping("/views")
    String saveView(@AuthenticationPrincipal Caller caller, @RequestParam(defaultValue = "") String name,
                    @RequestParam(defaultValue = "") String query, RedirectAttributes redirect) {
        String safe = query.startsWith("tab=") ? query : "tab=OPEN";
        if (name.isBlank() || name.strip().length() > 60) {
            redirect.addFlashAttribute("actionError", "error.view.name");
            return "redirect:/inbox?" + safe;
        }
        savedViews.save(caller.userId(), name, safe);
        redirect.addFlashAttribute("notice", "notice.viewSaved");
        redirect.addFlashAttribute("noticeArg", name.strip());
        return "redirect:/inbox?" + safe;
    }

    @PostMapping("/views/{viewId}/delete")
    String deleteView(@AuthenticationPrincipal Caller caller, @PathVariable UUID viewId, RedirectAttributes redirect) {
        savedViews.delete(caller.userId(), viewId);
        redirect.addFlashAttribute("notice", "notice.viewDeleted");
        return "redirect:/inbox";
    }

    /** One action on the selected rows: close them, assign them to a person or tag them. */
    @PostMapping("/bulk")
    String bulk(@AuthenticationPrincipal Caller caller, @RequestParam(name = "ids", required = false) List<UUID> ids,
                @RequestParam(defaultValue = "") String action, @RequestParam(required = false) UUID userId,
                @RequestParam(defaultValue = "") String tag, HttpSession session, RedirectAttributes redirect) {
        String back = "redirect:/inbox?" + lastList(session);
        if (ids == null || ids.isEmpty()) {
            redirect.addFlashAttribute("actionError", "error.bulk.none");
            return back;
        }
        switch (action) {
            case "close" -> ids.forEach(id -> closeIfOpen(caller, id));
            case "assign" -> {
                if (!activePerson(userId)) {
                    redirect.addFlashAttribute("actionError", "error.transfer.person");
                    return back;
                }
                ids.forEach(id -> conversations.assignToHuman(id, userId, caller.userId()));
            }
            case "tag" -> {
                if (tag.isBlank() || tag.strip().length() > 60) {
                    redirect.addFlashAttribute("actionError", "error.tag.invalid");
                    return back;
                }
                ids.forEach(id -> conversations.addTag(id, tag.strip()));
            }
            default -> {
                redirect.addFlashAttribute("actionError", "error.bulk.action");
                return back;
            }
        }
        redirect.addFlashAttribute("notice", "notice.bulk." + action);
        redirect.addFlashAttribute("noticeArg", ids.size());
        return back;
    }

    private void closeIfOpen(Caller caller, UUID id) {
        if (conversations.find(id).status() != io.switchboard.conversation.ConversationStatus.CLOSED) {
            conversations.close(id, "agent", caller.userId());
        }
    }

    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(@AuthenticationPrincipal Caller caller, HttpServletResponse response) {
        // proxies such as nginx would otherwise buffer the stream
        response.setHeader("X-Accel-Buffering", "no");
        return presenceStreams.track(caller, stream.open(caller.organizationId()));
    }

    @GetMapping("/conversations/{id}")
    String conversation(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, HttpSession session, Model model) {
        model.addAttribute("view", view(caller, id));
        work.markRead(id, caller.userId());
        addList(caller, session, model);
        return "inbox";
    }

    /** The person saw what arrived while the conversation was open. */
    @PostMapping("/conversations/{id}/read")
    ResponseEntity<Void> read(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        conversations.find(id);
        work.markRead(id, caller.userId());
        return ResponseEntity.noContent().build();
    }

    /**
     * The action paths take POST only; a GET of one (a refreshed page after a rejected form, an old bookmark) shows
     * the conversation instead of method not allowed.
     */
    @GetMapping({"/conversations/{id}/{action:reply|note|take-over|transfer|close|reopen|reactivate-ai|tags|priority|snooze|wake}",
            "/conversations/{id}/tags/remove"})
    String actionPathOpened(@PathVariable UUID id) {
        return redirectTo(id);
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
                 HttpSession session, Model model, HttpServletResponse response) {
        String error = validateText(text);
        if (error != null) {
            return rejected(caller, id, "replyError", error, text, session, model, response);
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
                HttpSession session, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        String error = validateText(text);
        if (error != null) {
            return rejected(caller, id, "noteError", error, text, session, model, response);
        }
        redirect.addFlashAttribute("composeMode", "note");
        conversations.postOutbound(id, SenderType.AGENT, caller.userId(), null, text.strip(), null, null, true);
        return redirectTo(id);
    }

    @PostMapping("/conversations/{id}/take-over")
    String takeOver(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, RedirectAttributes redirect) {
        conversations.assignToHuman(id, caller.userId(), caller.userId());
        redirect.addFlashAttribute("notice", "notice.takenOver");
        return redirectTo(id);
    }

    @PostMapping("/conversations/{id}/transfer")
    String transfer(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
                    @RequestParam(required = false) UUID userId, HttpSession session, Model model,
                    HttpServletResponse response, RedirectAttributes redirect) {
        if (!activePerson(userId)) {
            return rejected(caller, id, "transferError", "error.transfer.person", null, session, model, response);
        }
        conversations.assignToHuman(id, userId, caller.userId());
        redirect.addFlashAttribute("notice", "notice.assigned");
        redirect.addFlashAttribute("noticeArg", pages.people().stream().filter(u -> u.id().equals(userId))
                .map(User::name).findFirst().orElse(""));
        return redirectTo(id);
    }

    @PostMapping("/conversations/{id}/close")
    String close(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, RedirectAttributes redirect) {
        conversations.close(id, "agent", caller.userId());
        redirect.addFlashAttribute("notice", "notice.closed");
        redirect.addFlashAttribute("undo", "reopen");
        return redirectTo(id);
    }

    @PostMapping("/conversations/{id}/reopen")
    String reopen(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, RedirectAttributes redirect) {
        try {
            conversations.reopen(id, "agent", caller.userId());
            redirect.addFlashAttribute("notice", "notice.reopened");
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
            redirect.addFlashAttribute("notice", "notice.retried");
        } catch (Conflict e) {
            redirect.addFlashAttribute("actionError", "error.retry.notFailed");
        }
        return redirectTo(id);
    }

    /** Only a signed-in person may let the AI speak again (SPEC §4); sessions are always people. */
    @PostMapping("/conversations/{id}/reactivate-ai")
    String reactivateAi(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, RedirectAttributes redirect) {
        if (!caller.human()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        conversations.reactivateAi(id, caller.userId(), "agent");
        redirect.addFlashAttribute("notice", "notice.aiReactivated");
        return redirectTo(id);
    }

    @PostMapping("/conversations/{id}/tags")
    String addTag(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @RequestParam(defaultValue = "") String tag,
                  HttpSession session, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        String name = tag.strip();
        if (name.isEmpty() || name.length() > 60) {
            return rejected(caller, id, "tagError", "error.tag.invalid", tag, session, model, response);
        }
        conversations.addTag(id, name);
        redirect.addFlashAttribute("notice", "notice.tagged");
        redirect.addFlashAttribute("noticeArg", name);
        return redirectTo(id);
    }

    @PostMapping("/conversations/{id}/tags/remove")
    String removeTag(@PathVariable UUID id, @RequestParam(defaultValue = "") String tag, RedirectAttributes redirect) {
        conversations.removeTag(id, tag);
        redirect.addFlashAttribute("notice", "notice.untagged");
        redirect.addFlashAttribute("noticeArg", tag.strip());
        return redirectTo(id);
    }

    @PostMapping("/conversations/{id}/priority")
    String priority(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
                    @RequestParam(defaultValue = "") String priority, RedirectAttributes redirect) {
        work.setPriority(id, priority, caller.userId());
        redirect.addFlashAttribute("notice", "notice.priority");
        return redirectTo(id);
    }

    /**
     * Puts the conversation aside: {@code for} is {@code 1h}, {@code 3h}, {@code tomorrow} (9:00 in the person's
     * time zone offset), {@code week} (Monday 9:00) or {@code reply} (until the customer writes).
     */
    @PostMapping("/conversations/{id}/snooze")
    String snooze(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @RequestParam(name = "for", defaultValue = "") String duration,
                  @RequestParam(name = "tz", defaultValue = "0") int offsetMinutes, RedirectAttributes redirect) {
        Instant until = snoozeEnd(duration, offsetMinutes);
        if (until == null) {
            redirect.addFlashAttribute("actionError", "error.snooze.when");
            return redirectTo(id);
        }
        work.snooze(id, until, caller.userId());
        redirect.addFlashAttribute("notice", "notice.snoozed");
        redirect.addFlashAttribute("undo", "wake");
        return redirectTo(id);
    }

    @PostMapping("/conversations/{id}/wake")
    String wake(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, RedirectAttributes redirect) {
        work.wake(id, caller.userId());
        redirect.addFlashAttribute("notice", "notice.woken");
        return redirectTo(id);
    }

    /** A person is in the conversation (typing or just reading): the others there see it. */
    @PostMapping("/conversations/{id}/presence")
    ResponseEntity<Void> presence(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
                                  @RequestParam(defaultValue = "false") boolean typing) {
        stream.presence(caller.organizationId(), id, caller.userId(), caller.name(), typing);
        return ResponseEntity.noContent().build();
    }

    Instant snoozeEnd(String duration, int offsetMinutes) {
        Instant now = clock.instant();
        java.time.ZoneOffset zone = java.time.ZoneOffset.ofTotalSeconds(Math.max(-14 * 60, Math.min(14 * 60, offsetMinutes)) * 60);
        java.time.OffsetDateTime local = now.atOffset(zone);
        return switch (duration) {
            case "1h" -> now.plus(java.time.Duration.ofHours(1));
            case "3h" -> now.plus(java.time.Duration.ofHours(3));
            case "tomorrow" -> local.plusDays(1).withHour(9).withMinute(0).withSecond(0).withNano(0).toInstant();
            case "week" -> local.with(java.time.temporal.TemporalAdjusters.next(java.time.DayOfWeek.MONDAY))
                    .withHour(9).withMinute(0).withSecond(0).withNano(0).toInstant();
            case "reply" -> InboxWork.UNTIL_CUSTOMER_WRITES;
            default -> null;
        };
    }

    private boolean activePerson(UUID userId) {
        return userId != null && pages.people().stream().filter(User::active).anyMatch(u -> u.id().equals(userId));
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
    private String rejected(Caller caller, UUID id, String field, String messageKey, String typed, HttpSession session,
                            Model model, HttpServletResponse response) {
        response.setStatus(422);
        // the address stays the conversation's, so reloading shows it rather than asking for the action again
        response.setHeader("HX-Push-Url", "/inbox/conversations/" + id);
        model.addAttribute("view", view(caller, id));
        model.addAttribute(field, messageKey);
        model.addAttribute("typed", typed);
        addList(caller, session, model);
        return "inbox";
    }

    private void addList(Caller caller, HttpSession session, Model model) {
        var query = org.springframework.web.util.UriComponentsBuilder.fromUriString("/inbox?" + lastList(session)).build().getQueryParams();
        java.util.function.Function<String, String> first = name -> {
            String value = query.getFirst(name);
            return value == null ? null : java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
        };
        model.addAttribute("list", pages.list(caller.userId(), tab(first.apply("tab")), first.apply("cursor"),
                first.apply("q"), filters(first)));
    }

    private static String lastList(HttpSession session) {
        Object last = session.getAttribute(LAST_LIST);
        return last instanceof String s ? s : "tab=OPEN";
    }

    static InboxPages.Filters filters(HttpServletRequest request) {
        return filters(request::getParameter);
    }

    static InboxPages.Filters filters(java.util.function.Function<String, String> param) {
        java.util.function.Function<String, String> text = name -> {
            String v = param.apply(name);
            return v == null ? "" : v.strip();
        };
        return new InboxPages.Filters(text.apply("channel"), text.apply("status"), text.apply("assignee"),
                text.apply("department"), text.apply("tag"), "true".equals(text.apply("unread")), text.apply("priority"),
                "true".equals(text.apply("snoozed")), text.apply("sort").isEmpty() ? "newest" : text.apply("sort").toLowerCase(java.util.Locale.ROOT));
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
