package io.switchboard.automation;

import com.fasterxml.jackson.annotation.JsonValue;
import io.switchboard.refusal.InvalidInput;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a rule reacts to. */
public enum AutomationEvent {
    CONVERSATION_CREATED, MESSAGE_RECEIVED, CONVERSATION_ASSIGNED, CONVERSATION_ESCALATED, CONVERSATION_CLOSED,
    STAGE_CHANGED, SLA_BREACHED,
    /** Time-based: nobody heard from the customer for {@code minutes} after the last message to them. */
    NO_CUSTOMER_REPLY;

    @JsonValue
    public String db() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AutomationEvent parse(String value) {
        if (value != null) {
            for (AutomationEvent event : values()) {
                if (event.db().equalsIgnoreCase(value.trim())) {
                    return event;
                }
            }
        }
        throw new InvalidInput("event must be one of " + Arrays.stream(values()).map(AutomationEvent::db)
                .collect(Collectors.joining(", ")) + " (got '" + value + "')");
    }

    /** The event a conversation change announces ({@code conversation.Events.ConversationChanged}), if a rule can react to it. */
    static AutomationEvent ofChange(String change) {
        return switch (change) {
            case "assigned" -> CONVERSATION_ASSIGNED;
            case "handed_off" -> CONVERSATION_ESCALATED;
            case "closed" -> CONVERSATION_CLOSED;
            case "stage" -> STAGE_CHANGED;
            default -> null;
        };
    }
}
