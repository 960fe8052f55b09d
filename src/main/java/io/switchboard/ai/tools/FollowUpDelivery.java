package io.switchboard.ai.tools;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.switchboard.conversation.AutomaticSpeech;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.ConversationStatus;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.SenderType;
import io.switchboard.database.TenantScope;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs due follow-ups (the db-scheduler task {@code ai-followup}): each is sent only if the AI may still speak
 * in the conversation; a person who took over, a pause or a closing turns it into a {@code follow_up_skipped}
 * event in the conversation's history instead, so a supervisor sees what did not go out and why.
 */
@Configuration(proxyBeanMethods = false)
class FollowUpDelivery {

    private static final Logger log = LoggerFactory.getLogger(FollowUpDelivery.class);

    private final Conversations conversations;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    FollowUpDelivery(Conversations conversations, JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.conversations = conversations;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @Bean
    OneTimeTask<FollowUp> aiFollowUpTask() {
        return Tasks.oneTime(FollowUps.TASK).execute((instance, execution) -> send(instance.getData()));
    }

    /** Sends a due follow-up, or records why it was skipped. Safe to run twice for the same follow-up. */
    void send(FollowUp followUp) {
        TenantScope.run(followUp.organizationId(), () -> {
            Optional<Conversation> conversation = conversations.findOptional(followUp.conversationId());
            if (conversation.isEmpty()) {
                log.info("Follow-up {} dropped: conversation {} no longer exists", followUp.id(), followUp.conversationId());
                return;
            }
            if (alreadySent(followUp)) {
                return;
            }
            Instant now = clock.instant();
            String skipReason = skipReason(conversation.get(), now);
            if (skipReason != null) {
                ObjectNode data = json.createObjectNode();
                data.put("follow_up_id", followUp.id().toString());
                data.put("reason", skipReason);
                data.put("message", followUp.message());
                conversations.recordEvent(followUp.conversationId(), "follow_up_skipped", "system", null, data.toString());
                return;
            }
            ObjectNode metadata = json.createObjectNode();
            metadata.put("follow_up", true);
            metadata.put("follow_up_id", followUp.id().toString());
            // checked again under the conversation's lock: a person taking over right now wins
            conversations.postAutomatic(followUp.conversationId(), AutomaticSpeech.REPLY, SenderType.AI_AGENT,
                    followUp.aiAgentId(), followUp.message(), metadata.toString(), null);
        });
    }

    private static String skipReason(Conversation conversation, Instant now) {
        if (conversation.status() == ConversationStatus.CLOSED) {
            return "the conversation is closed";
        }
        if (conversation.humanOwned()) {
            return "a person is handling the conversation";
        }
        if (!conversation.aiMayAnswerAt(now)) {
            return conversation.aiPausedAt(now) ? "the AI is paused in this conversation"
                    : "no AI agent owns the conversation any more";
        }
        return null;
    }

    /** A retry after a crash between sending and completing the task must not send the message twice. */
    private boolean alreadySent(FollowUp followUp) {
        return jdbc.sql("select exists (select 1 from messages where conversation_id = ? and metadata ->> 'follow_up_id' = ?)")
                .params(followUp.conversationId(), followUp.id().toString()).query(Boolean.class).single();
    }
}
