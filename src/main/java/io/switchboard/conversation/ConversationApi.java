package io.switchboard.conversation;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.identity.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
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

    record PageView(List<ConversationView> items, int page, int size, long total) {
    }

    record MessageView(UUID id, String direction, String senderType, UUID senderId, UUID aiAgentId, String content,
                       String contentType, JsonNode media, boolean privateNote, String status, String providerMessageId,
                       String errorCode, String errorReason, JsonNode metadata, Instant createdAt) {
    }

    @GetMapping
    PageView list(@AuthenticationPrincipal Caller caller,
                  @RequestParam(required = false) Inbox.Tab tab,
                  @RequestParam(required = false) String status,
                  @RequestParam(name = "queue_tab", required = false) QueueTab queueTab,
                  @RequestParam(name = "assignee_id", required = false) UUID assigneeId,
                  @RequestParam(name = "channel_account_id", required = false) UUID channelAccountId,
                  @RequestParam(name = "requires_human_attention", required = false) Boolean attention,
                  @RequestParam(name = "q", required = false) String search,
                  @RequestParam(defaultValue = "0") @Min(0) int page,
                  @RequestParam(defaultValue = "25") @Min(1) @Max(200) int size) {
        ConversationStatus parsedStatus = status == null ? null : parseStatus(status);
        var result = inbox.list(new Inbox.Filter(tab, parsedStatus, queueTab, assigneeId, channelAccountId, attention,
                caller.userId(), search), page, size);
        return new PageView(result.items().stream().map(s -> view(s.conversation(), s.lastMessage())).toList(),
                result.page(), result.size(), result.total());
    }

    @GetMapping("/{id}")
    ConversationView get(@PathVariable UUID id) {
        return view(conversations.find(id), null);
    }

    @GetMapping("/{id}/messages")
    List<MessageView> messages(@PathVariable UUID id) {
        conversations.find(id);
        return inbox.messages(id).stream().map(this::view).toList();
    }

    @GetMapping("/{id}/events")
    List<Inbox.HistoryEvent> events(@PathVariable UUID id) {
        conversations.find(id);
        return inbox.events(id);
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
    @PostMapping("/{id}/reactivate-ai")
    @PreAuthorize("hasAuthority('HUMAN')")
    ConversationView reactivateAi(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        return view(conversations.reactivateAi(id, caller.userId(), "agent"), null);
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
            return ConversationStatus.fromDb(status);
        } catch (IllegalArgumentException e) {
            throw new org.springframework.web.server.ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "status must be one of open, pending, waiting, closed");
        }
    }

    private ConversationView view(Conversation c, String lastMessage) {
        Contact contact = contacts.find(c.contactId()).orElseThrow();
        return new ConversationView(c.id(),
                new ContactView(contact.id(), contact.name(), contact.phone(), contact.email(), contacts.tags(contact.id())),
                new Origin(c.channelType(), c.channelAccountId(), c.queueTab()), c.status().db(), c.agentId(), c.aiAgentId(),
                c.funnelId(), c.stageId(), c.priority(), c.aiDisabled(), c.aiDisabledReason(), c.aiDisabledUntil(),
                c.requiresHumanAttention(), c.aiFailureAt(), conversations.tags(c.id()), lastMessage, c.lastMessageAt(),
                c.createdAt(), c.closedAt());
    }

    private MessageView view(Message m) {
        return new MessageView(m.id(), m.direction(), m.senderType().db(), m.senderId(), m.aiAgentId(), m.content(),
                m.contentType(), json.readTree(m.media()), m.privateNote(), m.status(), m.providerMessageId(), m.errorCode(),
                m.errorReason(), json.readTree(m.metadata()), m.createdAt());
    }
}
