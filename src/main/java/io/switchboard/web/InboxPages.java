package io.switchboard.web;

import io.switchboard.database.RecordRows;
import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.ConversationStatus;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Inbox;
import io.switchboard.conversation.InboxTriage;
import io.switchboard.conversation.InboxWork;
import io.switchboard.conversation.SavedViews;
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
    private final InboxTriage triage;
    private final InboxWork work;
    private final SavedViews savedViews;
    private final Conversations conversations;
    private final Contacts contacts;
    private final Users users;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final Texts texts;

    InboxPages(Inbox inbox, InboxTriage triage, InboxWork work, SavedViews savedViews, Conversations conversations,
               Contacts contacts, Users users, JdbcClient jdbc, JsonMapper json, Clock clock, Texts texts) {
        this.texts = texts;
        this.inbox = inbox;
        this.triage = triage;
        this.work = work;
        this.savedViews = savedViews;
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

    /**
     * A list row: who, on which channel, the customer's last words, what the viewer has not read, who has it,
     * how long the customer has waited and why it needs a person.
     */
    record Row(UUID id, String contact, String initials, String channelType, String status, String preview,
               String previewSender, boolean answered, Instant lastAt, String waiting, boolean attention, Phrase reason,
               String assignee, String assigneeInitials, int unread, String priority, List<String> tags,
               Instant snoozedUntil) {
        public boolean urgent() {
            return "urgent".equals(priority) || "high".equals(priority);
        }
    }

    /** The filters in force, as the list's form shows them and its links carry them. */
    record Filters(String channel, String status, String assignee, String department, String tag, boolean unread,
                   String priority, boolean snoozed, String sort) {

        static Filters none() {
            return new Filters("", "", "", "", "", false, "", false, "newest");
        }

        public boolean any() {
            return !channel.isEmpty() || !status.isEmpty() || !assignee.isEmpty() || !department.isEmpty()
                    || !tag.isEmpty() || unread || !priority.isEmpty() || snoozed || !"newest".equals(sort);
        }

        /** The query string for these filters (without tab, search and cursor). */
        public String query() {
            StringBuilder q = new StringBuilder();
            add(q, "channel", channel);
            add(q, "status", status);
            add(q, "assignee", assignee);
            add(q, "department", department);
            add(q, "tag", tag);
            add(q, "unread", unread ? "true" : "");
            add(q, "priority", priority);
            add(q, "snoozed", snoozed ? "true" : "");
            add(q, "sort", "newest".equals(sort) ? "" : sort);
            return q.toString();
        }

        private static void add(StringBuilder q, String name, String value) {
            if (value != null && !value.isEmpty()) {
                q.append(q.isEmpty() ? "" : "&").append(name).append('=')
                        .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    /** One page of a tab; {@code cursor} is where it starts (null: the first page), {@code nextCursor} the next. */
    record ListView(Inbox.Tab tab, List<TabView> tabs, List<Row> rows, String cursor, String nextCursor, String search,
                    Filters filters, List<SavedViews.SavedView> savedViews, List<User> people,
                    List<String> channelTypes, List<Department> departments, InboxTriage.Attention attention) {
        public boolean hasNext() {
            return nextCursor != null;
        }

        public boolean firstPage() {
            return cursor == null;
        }

        /** The list's whole query (tab, search, filters): what links keep, a saved view stores and live refreshes ask. */
        public String query() {
            String q = "tab=" + tab.name() + (search.isEmpty() ? ""
                    : "&q=" + java.net.URLEncoder.encode(search, java.nio.charset.StandardCharsets.UTF_8));
            String f = filters.query();
            return f.isEmpty() ? q : q + "&" + f;
        }

        public String queryWithCursor() {
            return cursor == null ? query() : query() + "&cursor=" + cursor;
        }
    }

    record Department(UUID id, String name) {
    }

    ListView list(UUID viewerId, Inbox.Tab tab, String cursor, String search, Filters filters) {
        Map<Inbox.Tab, Long> counts = inbox.counts(viewerId);
        List<TabView> tabs = java.util.Arrays.stream(Inbox.Tab.values())
                .map(t -> new TabView(t, counts.get(t), t == tab)).toList();
        String start = cursor == null || cursor.isBlank() ? null : cursor;
        InboxTriage.Refinement refinement = refinement(filters);
        InboxTriage.Page found;
        try {
            found = triage.list(tab, refinement, viewerId, search, start, PAGE_SIZE);
        } catch (Inbox.InvalidQueryException e) {
            // an old or edited link: show the first page rather than an error
            start = null;
            found = triage.list(tab, refinement, viewerId, search, null, PAGE_SIZE);
        }
        List<User> people = users.list();
        Map<UUID, String> names = people.stream().collect(Collectors.toMap(User::id, User::name));
        Instant now = clock.instant();
        List<Row> rows = found.rows().stream().map(s -> {
            Conversation c = s.conversation();
            Instant since = c.lastCustomerMessageAt() != null ? c.lastCustomerMessageAt()
                    : c.lastMessageAt() != null ? c.lastMessageAt() : c.createdAt();
            Phrase contact = contactName(c.contactId(), s.contactName(), s.contactPhone(), s.contactEmail());
            String assignee = c.agentId() == null ? null : names.get(c.agentId());
            return new Row(c.id(), texts.say(contact), initials(contact.raw()), c.channelType(), c.status().db(), s.preview(),
                    s.previewSender(), s.lastSender() != null && !"contact".equals(s.lastSender()), s.lastAt(),
                    elapsed(since, now), c.requiresHumanAttention(),
                    c.requiresHumanAttention() || c.aiDisabled() ? Phrase.of(c.aiDisabledReason()) : null,
                    assignee, initials(assignee), s.unread(), c.priority(), s.tags(), s.snoozedUntil());
        }).toList();
        return new ListView(tab, tabs, rows, start, found.nextCursor(), search == null ? "" : search.strip(), filters,
                savedViews.of(viewerId), people.stream().filter(User::active).toList(), CHANNEL_TYPES, departments(),
                triage.attention(viewerId));
    }

    static final List<String> CHANNEL_TYPES = List.of("twilio", "meta_cloud", "evolution", "webchat", "api", "instagram", "messenger", "telegram");

    private static InboxTriage.Refinement refinement(Filters f) {
        ConversationStatus status = java.util.Arrays.stream(ConversationStatus.values())
                .filter(s -> s.db().equals(f.status())).findFirst().orElse(null);
        UUID assignee = "none".equals(f.assignee()) ? InboxTriage.Refinement.NOBODY : parseUuid(f.assignee());
        return new InboxTriage.Refinement(CHANNEL_TYPES.contains(f.channel()) ? f.channel() : null, status, assignee,
                parseUuid(f.department()), f.tag().isBlank() ? null : f.tag(), f.unread(),
                List.of("low", "normal", "high", "urgent").contains(f.priority()) ? f.priority() : null, f.snoozed(),
                InboxTriage.Sort.parse(f.sort()));
    }

    private List<Department> departments() {
        return jdbc.sql("select id, name from departments order by lower(name)").query(RecordRows.of(Department.class)).list();
    }

    /** The contact's name, else phone or e-mail, else (a web chat visitor) a numbered site visitor. */
    static Phrase contactName(UUID contactId, String name, String phone, String email) {
        String known = name != null && !name.isBlank() ? name : phone != null && !phone.isBlank() ? phone
                : email != null && !email.isBlank() ? email : null;
        return known != null ? new Phrase(null, List.of(), known, null) : Texts.visitor(contactId);
    }

    /** MS for Maria Silva: the avatar of a person or contact without a picture. */
    static String initials(String name) {
        if (name == null || name.isBlank() || !Character.isLetter(name.strip().charAt(0))) {
            return null;
        }
        String[] words = name.strip().split("\\s+");
        String first = words[0].substring(0, 1);
        String last = words.length > 1 && !words[words.length - 1].isEmpty() && Character.isLetter(words[words.length - 1].charAt(0))
                ? words[words.length - 1].substring(0, 1) : "";
        return (first + last).toUpperCase(java.util.Locale.ROOT);
    }

    /** Who may answer right now, as people think of it. */
    enum AiState { ACTIVE, PAUSED, HUMAN, NONE }

    /** {@code errorCode} and {@code errorReason} as stored; pages say them through {@code @texts.deliveryError}. */
    record MessageView(UUID id, String kind, String senderName, String content, String contentType, Instant at,
                       boolean outbound, boolean privateNote, boolean fallback, String status, String errorCode,
                       String errorReason) {
        /** Who wrote it, for grouping consecutive messages of one sender. */
        public String senderKey() {
            return kind + ":" + (senderName == null ? "" : senderName);
        }

        public boolean hasError() {
            return (errorCode != null || errorReason != null) && !"unconfirmed".equals(status);
        }

        public boolean discarded() {
            return "discarded".equals(status);
        }

        public boolean failed() {
            return "failed".equals(status);
        }
    }

    /** {@code detail}: a reason (translated when known), a person's name or a delivery error, already in words. */
    record EventView(String type, String actorType, String actorName, Phrase detail, String technical, Instant at) {
    }

    record ConversationView(Conversation conversation, Contact contact, Phrase contactName, List<String> contactTags,
                            List<String> conversationTags, MessageBatch messages, List<EventView> events,
                            AiState aiState, String aiAgentName, String assignee, List<User> transferTargets,
                            UUID viewerId, Phrase aiReason, Instant snoozedUntil) {
        public boolean snoozedUntilCustomerWrites() {
            return InboxWork.UNTIL_CUSTOMER_WRITES.equals(snoozedUntil);
        }

        /** Giving the conversation back to the AI makes sense only while it is open and an AI agent is on it. */
        public boolean mayReactivateAi() {
            return !closed() && conversation.aiAgentId() != null && (conversation.aiDisabled() || conversation.humanOwned());
        }

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
            return new ConversationView(c, contact, contactName(contact.id(), contact.name(), contact.phone(), contact.email()),
                    contacts.tags(contact.id()), conversations.tags(conversationId),
                    messages, events, aiState(c), c.aiAgentId() == null ? null : aiNames.get(c.aiAgentId()),
                    c.agentId() == null ? null : names.get(c.agentId()), targets, viewerId, Phrase.of(c.aiDisabledReason()),
                    work.snoozedUntil(conversationId));
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
        // a person who took over answers: that is what matters, whatever paused the AI before
        if (c.humanOwned()) {
            return AiState.HUMAN;
        }
        if (c.aiPausedAt(clock.instant())) {
            return AiState.PAUSED;
        }
        return c.aiAgentId() == null ? AiState.NONE : AiState.ACTIVE;
    }

    private MessageView messageView(Message m, Contact contact, Map<UUID, String> names, Map<UUID, String> aiNames) {
        JsonNode metadata = parse(m.metadata());
        boolean fallback = metadata.path("is_error_fallback").asBoolean(false);
        String kind = m.privateNote() ? "note" : m.senderType().db();
        String sender = switch (m.senderType()) {
            case CONTACT -> texts.say(contactName(contact.id(), contact.name(), contact.phone(), contact.email()));
            case AGENT -> m.senderId() == null ? null : names.get(m.senderId());
            case AI_AGENT -> m.aiAgentId() == null ? null : aiNames.get(m.aiAgentId());
            case SYSTEM -> null;
        };
        boolean outbound = m.senderType() != SenderType.CONTACT;
        return new MessageView(m.id(), kind, sender, m.content(), m.contentType(), m.createdAt(), outbound,
                m.privateNote(), fallback, m.privateNote() || !outbound ? null : m.status().db(), m.errorCode(), m.errorReason());
    }

    private EventView eventView(Inbox.HistoryEvent e, Map<UUID, String> names) {
        JsonNode data = parse(e.data());
        String actorName = e.actorId() == null ? null : names.get(e.actorId());
        Phrase detail = null;
        String technical = null;
        if (data.hasNonNull("error_code") || e.type().startsWith("delivery_")) {
            String said = texts.deliveryError(data.path("error_code").asString(null), data.path("reason").asString(null));
            detail = said == null ? null : new Phrase(null, List.of(), said, null);
        } else if (data.hasNonNull("reason")) {
            detail = Phrase.of(data.get("reason").asString());
            technical = detail == null ? null : detail.detail();
        } else if (data.hasNonNull("user_id")) {
            String id = data.get("user_id").asString();
            detail = new Phrase(null, List.of(), names.getOrDefault(parseUuid(id), id), null);
        } else if (data.hasNonNull("priority")) {
            detail = Phrase.key("priority." + data.get("priority").asString());
        }
        return new EventView(e.type(), e.actorType(), actorName, detail, technical, e.createdAt());
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
