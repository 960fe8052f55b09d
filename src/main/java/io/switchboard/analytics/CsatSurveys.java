package io.switchboard.analytics;

import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Events;
import io.switchboard.conversation.Message;
import io.switchboard.conversation.SenderType;
import io.switchboard.database.TenantScope;
import io.switchboard.identity.Organizations;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.MessageSource;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The satisfaction survey: sent when a conversation closes (if the organization turned it on), and answered by the
 * customer's next message when that message is a score — a digit 1–5 or one of the five faces. An answer is stored,
 * attributed to whoever handled the conversation, thanked, and the conversation closed again, so the AI never
 * answers a "5". Both run inside the transaction that closed the conversation or stored the message.
 */
@Component
class CsatSurveys {

    // A survey waits 24 hours for its answer; that is also the quiet time before a conversation is surveyed again.
    private static final Pattern DIGIT_ANSWER = Pattern.compile(
            "^(?:nota|score|rating)?\\s*:?\\s*([1-5])\\s*(?:/\\s*5)?[\\s.!]*$", Pattern.CASE_INSENSITIVE);
    /** The emoji scale, worst to best; near variants a customer may pick count the same. */
    private static final Map<String, Integer> FACES = Map.ofEntries(
            Map.entry("😡", 1), Map.entry("😠", 1), Map.entry("😞", 2), Map.entry("🙁", 2), Map.entry("😕", 2),
            Map.entry("😐", 3), Map.entry("😶", 3), Map.entry("🙂", 4), Map.entry("😊", 4), Map.entry("😀", 5),
            Map.entry("😃", 5), Map.entry("😄", 5), Map.entry("😍", 5), Map.entry("🤩", 5));

    private final JdbcClient jdbc;
    private final Conversations conversations;
    private final ReportSettingsStore settings;
    private final Organizations organizations;
    private final MessageSource messages;

    CsatSurveys(JdbcClient jdbc, Conversations conversations, ReportSettingsStore settings, Organizations organizations,
                MessageSource messages) {
        this.jdbc = jdbc;
        this.conversations = conversations;
        this.settings = settings;
        this.organizations = organizations;
        this.messages = messages;
    }

    @EventListener(condition = "#changed.change() == 'closed'")
    void onClosed(Events.ConversationChanged changed) {
        TenantScope.run(changed.organizationId(), () -> send(changed.conversationId()));
    }

    @EventListener
    void onCustomerMessage(Events.CustomerMessageReceived received) {
        TenantScope.run(received.organizationId(), () -> answer(received.conversationId(), received.messageId()));
    }

    private void send(UUID conversationId) {
        ReportSettings current = settings.current();
        Conversation conversation = conversations.find(conversationId);
        boolean surveyedLately = jdbc.sql("""
                        select exists (select 1 from csat_surveys where conversation_id = ? and sent_at > now() - interval '24 hours')""")
                .param(conversationId).query(Boolean.class).single();
        if (!current.csatEnabled() || conversation.lastCustomerMessageAt() == null || surveyedLately) {
            return;
        }
        Locale locale = locale(conversation);
        String text = messages.getMessage("csat.survey." + current.csatScale().db(), null, locale);
        Message survey = conversations.postOutbound(conversationId, SenderType.SYSTEM, null, null, text,
                "{\"csat_survey\": true}", null, false);
        jdbc.sql("""
                insert into csat_surveys (organization_id, conversation_id, contact_id, channel_account_id, ai_agent_id,
                                          user_id, scale, message_id)
                values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(conversation.organizationId(), conversationId, conversation.contactId(),
                        conversation.channelAccountId(), conversation.aiAgentId(), conversation.agentId(),
                        current.csatScale().db(), survey.id())
                .update();
    }

    private void answer(UUID conversationId, UUID messageId) {
        Conversation conversation = conversations.find(conversationId);
        // the survey is answered only by the customer's first message after it: a "3" later in a new matter is not
        Optional<UUID> open = jdbc.sql("""
                        select s.id from csat_surveys s where s.contact_id = ? and s.channel_account_id = ? and s.score is null
                        and s.sent_at > now() - interval '24 hours' and not exists (select 1 from messages m where m.conversation_id = ? and m.sender_type = 'contact'
                                          and m.created_at >= s.sent_at and m.id <> ?)
                        order by s.sent_at desc limit 1""")
                .params(conversation.contactId(), conversation.channelAccountId(), conversationId, messageId)
                .query(UUID.class).optional();
        if (open.isEmpty()) {
            return;
        }
        OptionalInt score = score(conversations.message(messageId).content());
        if (score.isEmpty()) {
            return; // not an answer: the message is a new matter and takes its normal path
        }
        jdbc.sql("""
                update csat_surveys set score = ?, answered_at = now(), answer_message_id = ?, answer_conversation_id = ?
                where id = ?""")
                .params(score.getAsInt(), messageId, conversationId, open.get()).update();
        conversations.postOutbound(conversationId, SenderType.SYSTEM, null, null,
                messages.getMessage("csat.thanks", null, locale(conversation)), "{\"csat_thanks\": true}", null, false);
        // the score reopened (or opened) a conversation only to carry it: close it again, so no turn answers it
        conversations.close(conversationId, "system", null);
    }

    /** The score in a customer's answer, if the whole message is one: "5", "nota 4", "3!" or a face. */
    static OptionalInt score(String text) {
        if (text == null) {
            return OptionalInt.empty();
        }
        String trimmed = text.strip();
        Matcher digit = DIGIT_ANSWER.matcher(trimmed);
        if (digit.matches()) {
            return OptionalInt.of(Integer.parseInt(digit.group(1)));
        }
        if (trimmed.length() <= 8) {
            for (Map.Entry<String, Integer> face : FACES.entrySet()) {
                if (trimmed.contains(face.getKey())) {
                    return OptionalInt.of(face.getValue());
                }
            }
        }
        return OptionalInt.empty();
    }

    private Locale locale(Conversation conversation) {
        return Locale.forLanguageTag(organizations.find(conversation.organizationId()).map(o -> o.locale()).orElse("pt-BR"));
    }
}
