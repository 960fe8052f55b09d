package io.switchboard.ai.tools;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import io.switchboard.conversation.Conversations;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Follow-up messages an AI agent promised to send later. Kept in db-scheduler — durable across restarts and
 * run once cluster-wide — and checked again when due (see the {@code ai-followup} task): a follow-up never
 * talks over a person or into a closed conversation.
 */
@Component
public class FollowUps {

    /** The durable task that sends follow-ups; its instance id is the follow-up's id. */
    public static final TaskDescriptor<FollowUp> TASK = TaskDescriptor.of("ai-followup", FollowUp.class);

    private final SchedulerClient scheduler;
    private final Conversations conversations;
    private final JsonMapper json;

    FollowUps(SchedulerClient scheduler, Conversations conversations, JsonMapper json) {
        this.scheduler = scheduler;
        this.conversations = conversations;
        this.json = json;
    }

    /**
     * Schedules {@code message} for {@code at} and records it in the conversation's history. Runs in the
     * caller's tenant scope; the follow-up carries its organization so it is sent in that scope later.
     */
    public FollowUp schedule(UUID organizationId, UUID conversationId, UUID aiAgentId, String message, Instant at) {
        FollowUp followUp = new FollowUp(UUID.randomUUID(), organizationId, conversationId, aiAgentId, message);
        scheduler.scheduleIfNotExists(TASK.instance(followUp.id().toString()).data(followUp).scheduledTo(at));
        ObjectNode data = json.createObjectNode();
        data.put("follow_up_id", followUp.id().toString());
        data.put("send_at", at.toString());
        data.put("message", message);
        conversations.recordEvent(conversationId, "follow_up_scheduled", "ai_agent", aiAgentId, data.toString());
        return followUp;
    }
}
