package io.switchboard.automation;

import io.switchboard.refusal.InvalidInput;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a rule, an intent or a macro can do to a conversation; {@code needsValue}: the action's value is required. */
public enum ActionType {
    SEND_MESSAGE(true), ADD_TAG(true), REMOVE_TAG(true), MOVE_TO_STAGE(true), ASSIGN_DEPARTMENT(true),
    ASSIGN_PERSON(true), ASSIGN_AI_AGENT(true), SET_PRIORITY(true), CLOSE(false), ADD_NOTE(true),
    CREATE_ACTIVITY(true), CALL_WEBHOOK(true), HAND_TO_PERSON(false);

    final boolean needsValue;

    ActionType(boolean needsValue) {
        this.needsValue = needsValue;
    }

    public String db() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ActionType parse(String value) {
        if (value != null) {
            for (ActionType type : values()) {
                if (type.db().equalsIgnoreCase(value.trim())) {
                    return type;
                }
            }
        }
        throw new InvalidInput("action type must be one of " + Arrays.stream(values()).map(ActionType::db)
                .collect(Collectors.joining(", ")) + " (got '" + value + "')");
    }
}
