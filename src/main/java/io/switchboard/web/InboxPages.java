package io.switchboard.web;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.ConversationStatus;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Inbox;
import io.switchboard.conversation.Message;
import io.switchboard.conversation.SenderType;
import io.switchboard.identity.User;
import io.switchboard.identity.Users;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the inbox's queries into what the pages show: names instead of ids, sender kinds, delivery states,
 * elapsed times. Read-only; every method runs in the signed-in person's tenant scope.
 */
@Component
class InboxPages {

    static final int PAGE_SIZE = 50;

    private final Inbox inbox;
    private final Conversations conversations;
    private final Contacts contacts;
    private final Users users;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    InboxPages(Inbox inbox, Conversations conversations, Contacts contacts, Users users, JdbcClient jdbc, JsonMapper json,
               Clock clock) {
        this.inbox = inbox;
        this.conversations = conversations;
        this.contacts = contacts;
        this.users = users;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    record TabView(Inbox.Tab tab, Long count, boolean selected) {
        public String key() {
            return tab.name();
        }
    }

    record Row(UUID id, String contact, String channelType, String status, String lastMessage, String lastSender,
               Instant lastAt, String waiting, boolean attention, String aiDisabledReason, String assignee) {
    }

    /** One page of a tab; {@code cursor} is where it starts (null: the first page), {@code nextCursor} the next. */
    record ListView(Inbox.Tab tab, List<TabView> tabs, List<Row> rows, String cursor, String nextCursor, String search) {
        public boolean hasNext() {
            return nextCursor != null;
        }

        public boolean firstPage() {
            return cursor == null;
        }
    }

    ListView list(UUID viewerId, Inbox.Tab tab, String cursor, String search) {
        Map<Inbox.Tab, Long> counts = inbox.counts(viewerId);
        List<TabView> tabs = java.util.Arrays.stream(Inbox.Tab.values())
                .map(t -> new TabView(t, counts.get(t), t == tab)).toList();
        String start = cursor == null || cursor.isBlank() ? null : cursor;
        Inbox.Page found;
        try {
            found = inbox.list(new Inbox.Filter(tab, null, null, null, null, null, viewerId, search), start, PAGE_SIZE);
        } catch (Inbox.InvalidQueryException e) {
            // an old or edited link: show the first page rather than an error
            start = null;
            found = inbox.list(new Inbox.Filter(tab, null, null, null, null, null, viewerId, search), null, PAGE_SIZE);
        }
        Map<UUID, String> names = userNames();
        Instant now = clock.instant();
        List<Row> rows = found.items().stream().map(s -> {
            Conversation c = s.conversation();
            Instant since = c.lastCustomerMessageAt() != null ? c.lastCustomerMessageAt()
                    : c.lastMessageAt() != null ? c.lastMessageAt() : c.createdAt();
            String contact = s.contactName() != null && !s.contactName().isBlank() ? s.contactName()
                    : s.contactPhone() != null ? s.contactPhone() : "—";
            return new Row(c.id(), contact, c.channelType(), c.status().db(), s.lastMessage(), s.lastMessageSender(),
                    s.lastMessageAt(), elapsed(since, now), c.requiresHumanAttention(), c.aiDisabledReason(),
                    c.agentId() == null ? null : names.get(c.agentId()));
        }).toList();
        return new ListView(tab, tabs, rows, start, found.nextCursor(), search == null ? "" : search.strip());
    }

    /** Who may answer right now, as people think of it. */
    enum AiState { ACTIVE, PAUSED, HUMAN, NONE }

    record MessageView(UUID id, String kind, String senderName, String content, String contentType, Instant at,
                       boolean outbound, boolean privateNote, boolean fallback, String status, String errorReason) {
        public boolean discarded() {
            return "discarded".equals(status);
        }

        public boolean failed() {
            return "failed".equals(status);
        }
    }

    record EventView(String type, String actorType, String actorName, String detail, Instant at) {
    }

    record ConversationView(Conversation conversation, Contact contact, List<String> contactTags,
                            List<String> conversationTags, MessageBatch messages, List<EventView> events,
                            AiState aiState, String aiAgentName, String assignee, List<User> transferTargets,
                            UUID viewerId) {
        public boolean closed() {
            return conversation.status() == ConversationStatus.CLOSED;
        }

        public boolean mine() {
            return viewerId.equals(conversation.agentId());
        }
    }

    /**
     * Messages to show, oldest first. {@code olderCursor} loads the ones before them (null: none left);
     * {@code since} is what a live page passes back to get only what changed after this was read.
     */
    record MessageBatch(UUID conversationId, List<MessageView> items, UUID olderCursor, Instant since) {
        public boolean hasOlder() {
            return olderCursor != null;
        }
    }

    /** The conversation page: its state and the newest page of messages; older ones load on scroll. */
    Optional<ConversationView> conversation(UUID viewerId, UUID conversationId) {
        return view(viewerId, conversationId, true);
    }

    /** The state and side panel only, for live refreshes that leave the messages alone. */
    Optional<ConversationView> conversationState(UUID viewerId, UUID conversationId) {
        return view(viewerId, conversationId, false);
    }

    /** The page of messages before {@code before}. */
    Optional<MessageBatch> olderMessages(UUID conversationId, UUID before) {
        return conversations.findOptional(conversationId).map(c -> {
            Instant readAt = clock.instant();
            Inbox.MessagePage page = inbox.messagePage(conversationId, before, MESSAGE_PAGE);
            return new MessageBatch(conversationId, messageViews(page.items(), c), page.olderCursor(), readAt);
        });
    }

    /** Messages written or changed since {@code since} (among the newest), to add or replace one by one. */
    Optional<MessageBatch> changedMessages(UUID conversationId, Instant since) {
        return conversations.findOptional(conversationId).map(c -> {
            Instant readAt = clock.instant();
            List<Message> changed = inbox.recentlyChanged(conversationId, since.minus(LIVE_MARGIN), LIVE_WINDOW);
            return new MessageBatch(conversationId, messageViews(changed, c), null, readAt);
        });
    }

    static final int MESSAGE_PAGE = 50;
    /** Live changes are looked for among this many newest messages: delivery updates concern recent ones. */
    static final int LIVE_WINDOW = 200;
    /** A transaction's timestamps are taken when it starts, so a change may commit a little after its time. */
    static final Duration LIVE_MARGIN = Duration.ofSeconds(10);

    private Optional<ConversationView> view(UUID viewerId, UUID conversationId, boolean withMessages) {
        return conversations.findOptional(conversationId).map(c -> {
            Instant readAt = clock.instant();
            Contact contact = contacts.find(c.contactId()).orElseThrow();
            List<User> people = users.list();
            Map<UUID, String> names = people.stream().collect(Collectors.toMap(User::id, User::name));
            Map<UUID, String> aiNames = aiAgentNames();
            MessageBatch messages = new MessageBatch(conversationId, List.of(), null, readAt);
            if (withMessages) {
                Inbox.MessagePage page = inbox.messagePage(conversationId, null, MESSAGE_PAGE);
                messages = new MessageBatch(conversationId,
                        page.items().stream().map(m -> messageView(m, contact, names, aiNames)).toList(),
                        page.olderCursor(), readAt);
            }
            List<EventView> events = inbox.events(conversationId).stream().map(e -> eventView(e, names)).toList();
            List<User> targets = people.stream().filter(User::active).filter(u -> !u.id().equals(c.agentId())).toList();
            return new ConversationView(c, contact, contacts.tags(contact.id()), conversations.tags(conversationId),
                    messages, events, aiState(c), c.aiAgentId() == null ? null : aiNames.get(c.aiAgentId()),
                    c.agentId() == null ? null : names.get(c.agentId()), targets, viewerId);
        });
    }

    private List<MessageView> messageViews(List<Message> messages, Conversation c) {
        if (messages.isEmpty()) {
            return List.of();
        }
        Contact contact = contacts.find(c.contactId()).orElseThrow();
        Map<UUID, String> names = userNames();
        Map<UUID, String> aiNames = aiAgentNames();
        return messages.stream().map(m -> messageView(m, contact, names, aiNames)).toList();
    }

    private AiState aiState(Conversation c) {
        if (c.aiPausedAt(clock.instant())) {
            return AiState.PAUSED;
        }
        if (c.humanOwned()) {
            return AiState.HUMAN;
        }
        return c.aiAgentId() == null ? AiState.NONE : AiState.ACTIVE;
    }

    private MessageView messageView(Message m, Contact contact, Map<UUID, String> names, Map<UUID, String> aiNames) {
        JsonNode metadata = parse(m.metadata());
        boolean fallback = metadata.path("is_error_fallback").asBoolean(false);
        String kind = m.privateNote() ? "note" : m.senderType().db();
        String sender = switch (m.senderType()) {
            case CONTACT -> contact.displayName();
            case AGENT -> m.senderId() == null ? null : names.get(m.senderId());
            case AI_AGENT -> m.aiAgentId() == null ? null : aiNames.get(m.aiAgentId());
            case SYSTEM -> null;
        };
        boolean outbound = m.senderType() != SenderType.CONTACT;
        return new MessageView(m.id(), kind, sender, m.content(), m.contentType(), m.createdAt(), outbound,
                m.privateNote(), fallback, m.privateNote() || !outbound ? null : m.status().db(), m.errorReason());
    }

    private EventView eventView(Inbox.HistoryEvent e, Map<UUID, String> names) {
        JsonNode data = parse(e.data());
        String actorName = e.actorId() == null ? null : names.get(e.actorId());
        String detail = null;
        if (data.hasNonNull("reason")) {
            detail = data.get("reason").asString();
        } else if (data.hasNonNull("user_id")) {
            detail = names.getOrDefault(parseUuid(data.get("user_id").asString()), data.get("user_id").asString());
        }
        return new EventView(e.type(), e.actorType(), actorName, detail, e.createdAt());
    }

    List<User> people() {
        return users.list();
    }

    private Map<UUID, String> userNames() {
        return users.list().stream().collect(Collectors.toMap(User::id, User::name));
    }

    /** AI agents are owned by another module still being written; their names are display data only. */
    private Map<UUID, String> aiAgentNames() {
        Map<UUID, String> names = new HashMap<>();
        jdbc.sql("select id, name from ai_agents").query(rs -> {
            names.put(rs.getObject(1, UUID.class), rs.getString(2));
        });
        return names;
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(text);
        } catch (RuntimeException e) {
            return json.createObjectNode();
        }
    }

    private static UUID parseUuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** "4 min", "3 h", "2 d": how long the customer has been waiting, at a glance. */
    static String elapsed(Instant since, Instant now) {
        if (since == null) {
            return "";
        }
        Duration d = Duration.between(since, now);
        if (d.isNegative() || d.toMinutes() < 1) {
            return "<1 min";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + " min";
        }
        if (d.toDays() < 1) {
            return d.toHours() + " h";
        }
        return d.toDays() + " d";
    }

}
