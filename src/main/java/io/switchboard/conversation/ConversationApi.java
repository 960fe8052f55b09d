package io.switchboard.conversation;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.identity.Caller;
import jakarta.validation.Valid;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Conversations over REST: the inbox's queues, one conversation, its messages, and what people do with it. */
@RestController
@RequestMapping("/api/v1/conversations")
@PreAuthorize("hasRole('AGENT')")
@Validated
class ConversationApi {

    private final Inbox inbox;
    private final Conversations conversations;
    private final Contacts contacts;
    private final JsonMapper json;

    ConversationApi(Inbox inbox, Conversations conversations, Contacts contacts, JsonMapper json) {
        this.inbox = inbox;
        this.conversations = conversations;
        this.contacts = contacts;
        this.json = json;
    }

    record ContactView(UUID id, String name, String phone, String email, List<String> tags) {
    }

    record Origin(String channelType, UUID channelAccountId, QueueTab queueTab) {
    }

    record ConversationView(UUID id, ContactView contact, Origin origin, String status, UUID agentId, UUID aiAgentId,
                            UUID funnelId, UUID stageId, String priority, boolean aiDisabled, String aiDisabledReason,
                            Instant aiDisabledUntil, boolean requiresHumanAttention, Instant aiFailureAt,
                            List<String> tags, String lastMessage, Instant lastMessageAt, Instant createdAt,
                            Instant closedAt) {
    }

    /** A page of conversations; pass {@code next_cursor} back as {@code cursor} for the next one. */
    record PageView(List<ConversationView> items, String nextCursor) {
    }

    record MessageView(UUID id, String direction, String senderType, UUID senderId, UUID aiAgentId, String content,
                       String contentType, JsonNode media, boolean privateNote, String status, String providerMessageId,
                       String errorCode, String errorReason, JsonNode metadata, Instant createdAt) {
    }

    /**
     * A page of messages, oldest to newest. {@code before_cursor} (also given as {@code next_cursor}) reads the page
     * of older messages before it; null when there are none.
     */
    record MessagePageView(List<MessageView> items, UUID beforeCursor, UUID nextCursor) {
    }

    static final int MAX_LIMIT = 200;

    @GetMapping
    @Operation(summary = "List conversations, a page at a time",
            description = "Sorted as the inbox shows them: needing a person first, then latest activity. Keyset paging: "
                    + "pass next_cursor of a page as cursor to read the next one (null on the last page).")
    PageView list(@AuthenticationPrincipal Caller caller,
                  @Parameter(description = "inbox queue: mine, waiting_whatsapp, waiting_support, ai, open, closed")
                  @RequestParam(required = false) String queue,
                  @Parameter(hidden = true) @RequestParam(required = false) String tab,
                  @Parameter(description = "open, pending, waiting or closed") @RequestParam(required = false) String status,
                  @RequestParam(name = "queue_tab", required = false) QueueTab queueTab,
                  @RequestParam(name = "assignee_id", required = false) UUID assigneeId,
                  @RequestParam(name = "channel_account_id", required = false) UUID channelAccountId,
                  @RequestParam(name = "requires_human_attention", required = false) Boolean attention,
                  @Parameter(description = "contact name, phone or e-mail (any part), or words of a message; "
                          + "case and accents are ignored") @RequestParam(name = "q", required = false) String search,
                  @Parameter(description = "1 to 200, default 25") @RequestParam(required = false) String limit,
                  @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false) String cursor) {
        ConversationStatus parsedStatus = status == null || status.isBlank() ? null : parseStatus(status);
        Inbox.Tab parsedTab = parseTab(queue != null ? queue : tab);
        var result = inbox.list(new Inbox.Filter(parsedTab, parsedStatus, queueTab, assigneeId, channelAccountId, attention,
                caller.userId(), search), cursor, parseLimit(limit, 25));
        return new PageView(views(result.items()), result.nextCursor());
    }

    /** How many conversations each queue and status holds right now; closed conversations are not counted. */
    record CountsView(long mine, long waitingWhatsapp, long waitingSupport, long ai, long open,
                      java.util.Map<String, Long> statuses) {
    }

    @GetMapping("/counts")
    @Operation(summary = "Counts of the open conversations per inbox queue and per status")
    CountsView counts(@AuthenticationPrincipal Caller caller) {
        Inbox.OpenCounts counts = inbox.openCounts(caller.userId());
        java.util.Map<String, Long> statuses = new java.util.LinkedHashMap<>();
        counts.statuses().forEach((s, n) -> statuses.put(s.db(), n));
        var tabs = counts.tabs();
        return new CountsView(tabs.get(Inbox.Tab.MINE), tabs.get(Inbox.Tab.WAITING_WHATSAPP),
                tabs.get(Inbox.Tab.WAITING_SUPPORT), tabs.get(Inbox.Tab.AI), tabs.get(Inbox.Tab.OPEN), statuses);
    }

    @GetMapping("/{id}")
    ConversationView get(@PathVariable UUID id) {
        return view(conversations.find(id), null);
    }

    @GetMapping("/{id}/messages")
    @Operation(summary = "A conversation's messages, newest page first",
            description = "Items are oldest to newest. Without before, the newest messages; with before (a message id, "
                    + "e.g. before_cursor of a page), the messages before that one.")
    MessagePageView messages(@PathVariable UUID id,
                             @Parameter(description = "1 to 200, default 50") @RequestParam(required = false) String limit,
                             @Parameter(description = "before_cursor of a page, or a message id of this conversation")
                             @RequestParam(required = false) String before) {
        conversations.find(id);
        UUID beforeId = null;
        if (before != null && !before.isBlank()) {
            try {
                beforeId = UUID.fromString(before.strip());
            } catch (IllegalArgumentException e) {
                throw new Inbox.InvalidQueryException("before '" + before + "' is not a message id: pass before_cursor of "
                        + "the previous page, or leave it out for the newest messages");
            }
        }
        Inbox.MessagePage page = inbox.messagePage(id, beforeId, parseLimit(limit, 50));
        return new MessagePageView(page.items().stream().map(this::view).toList(), page.olderCursor(), page.olderCursor());
    }

    @GetMapping("/{id}/events")
    List<Inbox.HistoryEvent> events(@PathVariable UUID id) {
        conversations.find(id);
        return inbox.events(id);
    }

    /** Paging and filter parameters that cannot be read: 400 naming the parameter and what it accepts. */
    @ExceptionHandler(Inbox.InvalidQueryException.class)
    ProblemDetail badQuery(Inbox.InvalidQueryException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid parameter");
        return problem;
    }

    private static int parseLimit(String limit, int byDefault) {
        if (limit == null || limit.isBlank()) {
            return byDefault;
        }
        try {
            int value = Integer.parseInt(limit.strip());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Inbox.InvalidQueryException("limit '" + limit + "' must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static Inbox.Tab parseTab(String queue) {
        if (queue == null || queue.isBlank()) {
            return null;
        }
        return java.util.Arrays.stream(Inbox.Tab.values()).filter(t -> t.name().equalsIgnoreCase(queue.strip()))
                .findFirst().orElseThrow(() -> new Inbox.InvalidQueryException("queue '" + queue
                        + "' must be one of mine, waiting_whatsapp, waiting_support, ai, open, closed"));
    }

    record Reply(@NotBlank @Size(max = 20000) String content, Boolean privateNote) {
    }

    /** A person replies: the conversation becomes theirs first, so the AI stops before the reply goes out. */
    @PostMapping("/{id}/messages")
    @ResponseStatus(HttpStatus.CREATED)
    MessageView reply(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @Valid @RequestBody Reply body) {
        Conversation conversation = conversations.find(id);
        boolean note = Boolean.TRUE.equals(body.privateNote());
        SenderType sender = caller.human() ? SenderType.AGENT : SenderType.SYSTEM;
        if (!note && caller.human() && !caller.userId().equals(conversation.agentId())) {
            conversations.assignToHuman(id, caller.userId(), caller.userId());
        }
        return view(conversations.postOutbound(id, sender, caller.userId(), null, body.content(), null, null, note));
    }

    /** Sends a failed message again; 409 unless it is a failed outbound message of this conversation. */
    @PostMapping("/{id}/messages/{messageId}/retry")
    MessageView retry(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @PathVariable UUID messageId) {
        conversations.find(id);
        return view(conversations.retryDelivery(id, messageId, caller.userId()));
    }

    record Assignment(@NotNull UUID userId) {
    }

    @PostMapping("/{id}/assign")
    ConversationView assign(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @Valid @RequestBody Assignment body) {
        return view(conversations.assignToHuman(id, body.userId(), caller.userId()), null);
    }

    @PostMapping("/{id}/take_over")
    @PreAuthorize("hasAuthority('HUMAN')")
    ConversationView takeOver(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        return view(conversations.assignToHuman(id, caller.userId(), caller.userId()), null);
    }

    @PostMapping("/{id}/close")
    ConversationView close(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        return view(conversations.close(id, actorType(caller), caller.userId()), null);
    }

    @PostMapping("/{id}/reopen")
    ConversationView reopen(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        return view(conversations.reopen(id, actorType(caller), caller.userId()), null);
    }

    /** Only a person may let the AI speak again after it failed or was paused; integrations get 403. */
    @PostMapping("/{id}/reactivate_ai")
    @PreAuthorize("hasAuthority('HUMAN')")
    ConversationView reactivateAi(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        return view(conversations.reactivateAi(id, caller.userId(), "agent"), null);
    }

    /** The earlier spelling of {@code reactivate_ai}, kept so existing integrations keep working. */
    @Deprecated
    @io.swagger.v3.oas.annotations.Hidden
    @PostMapping("/{id}/reactivate-ai")
    @PreAuthorize("hasAuthority('HUMAN')")
    ConversationView reactivateAiHyphenated(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        return reactivateAi(caller, id);
    }

    record TagRequest(@NotBlank @Size(max = 100) String tag) {
    }

    @PostMapping("/{id}/tags")
    ConversationView tag(@PathVariable UUID id, @Valid @RequestBody TagRequest body) {
        conversations.addTag(id, body.tag());
        return view(conversations.find(id), null);
    }

    private static String actorType(Caller caller) {
        return caller.human() ? "agent" : "integration";
    }

    private static ConversationStatus parseStatus(String status) {
        try {
            return ConversationStatus.fromDb(status.strip());
        } catch (IllegalArgumentException e) {
            throw new Inbox.InvalidQueryException("status '" + status + "' must be one of open, pending, waiting, closed");
        }
    }

    private ConversationView view(Conversation c, String lastMessage) {
        Contact contact = contacts.find(c.contactId()).orElseThrow();
        return view(c, lastMessage, contact, contacts.tags(contact.id()), conversations.tags(c.id()));
    }

    /** A page's views with its contacts and tags read in three queries, not three per conversation. */
    private List<ConversationView> views(List<Inbox.Summary> page) {
        java.util.Set<UUID> contactIds = page.stream().map(s -> s.conversation().contactId()).collect(java.util.stream.Collectors.toSet());
        java.util.Map<UUID, Contact> pageContacts = contacts.findAll(contactIds);
        java.util.Map<UUID, List<String>> contactTags = contacts.tagsOf(contactIds);
        java.util.Map<UUID, List<String>> conversationTags = conversations.tagsOf(page.stream().map(s -> s.conversation().id()).toList());
        return page.stream().map(s -> view(s.conversation(), s.lastMessage(), pageContacts.get(s.conversation().contactId()),
                contactTags.getOrDefault(s.conversation().contactId(), List.of()),
                conversationTags.getOrDefault(s.conversation().id(), List.of()))).toList();
    }

    private ConversationView view(Conversation c, String lastMessage, Contact contact, List<String> contactTags,
                                  List<String> conversationTags) {
        return new ConversationView(c.id(),
                new ContactView(contact.id(), contact.name(), contact.phone(), contact.email(), contactTags),
                new Origin(c.channelType(), c.channelAccountId(), c.queueTab()), c.status().db(), c.agentId(), c.aiAgentId(),
                c.funnelId(), c.stageId(), c.priority(), c.aiDisabled(), c.aiDisabledReason(), c.aiDisabledUntil(),
                c.requiresHumanAttention(), c.aiFailureAt(), conversationTags, lastMessage, c.lastMessageAt(),
                c.createdAt(), c.closedAt());
    }

    private MessageView view(Message m) {
        return new MessageView(m.id(), m.direction(), m.senderType().db(), m.senderId(), m.aiAgentId(), m.content(),
                m.contentType(), withoutProviderUrls(json.readTree(m.media())), m.privateNote(), m.status().db(), m.providerMessageId(), m.errorCode(),
                m.errorReason(), json.readTree(m.metadata()), m.createdAt());
    }

    /** A provider's address of a customer's file is never handed out: the file is at {@code GET /api/v1/media/{id}}. */
    private static JsonNode withoutProviderUrls(JsonNode media) {
        if (media != null && media.isArray()) {
            media.forEach(item -> {
                if (item instanceof tools.jackson.databind.node.ObjectNode object) {
                    object.remove("url");
                }
            });
        }
        return media;
    }
}
