package io.switchboard.automation;

import io.switchboard.refusal.InvalidInput;
import java.util.List;
import java.util.Set;

/**
 * One action: its type and its value (the text to send or note, the tag, the stage id or name, the department /
 * person / AI agent id, the priority, the activity's title, the webhook's URL). Texts may use {@code {{contact.name}}}.
 * A {@code send_message} may name an approved WhatsApp {@code template} to send instead when the customer's 24-hour
 * window is closed (its variables may use the same placeholders).
 */
public record RuleAction(String type, String value, TemplateFallback template) {

    /** An approved WhatsApp template (name, language such as {@code pt_BR}, its variables in order). */
    public record TemplateFallback(String name, String language, List<String> variables) {
    }

    public RuleAction(String type, String value) {
        this(type, value, null);
    }

    static final Set<String> PRIORITIES = Set.of("low", "normal", "high", "urgent");

    ActionType kind() {
        return ActionType.parse(type);
    }

    /** @throws InvalidInput naming the action ({@code actions[i]}) when it cannot run */
    RuleAction checked(int index) {
        ActionType kind;
        try {
            kind = kind();
        } catch (InvalidInput e) {
            throw new InvalidInput("actions[" + index + "]: " + e.getMessage());
        }
        String v = value == null ? null : value.strip();
        if (kind.needsValue && (v == null || v.isEmpty())) {
            throw new InvalidInput("actions[" + index + "] (" + kind.db() + ") needs a value");
        }
        if (kind == ActionType.SET_PRIORITY && !PRIORITIES.contains(v)) {
            throw new InvalidInput("actions[" + index + "] (set_priority) value must be low, normal, high or urgent");
        }
        if (kind == ActionType.CALL_WEBHOOK && !(v.startsWith("https://") || v.startsWith("http://"))) {
            throw new InvalidInput("actions[" + index + "] (call_webhook) value must be an http(s) URL");
        }
        if ((kind == ActionType.ASSIGN_DEPARTMENT || kind == ActionType.ASSIGN_PERSON || kind == ActionType.ASSIGN_AI_AGENT)) {
            try {
                java.util.UUID.fromString(v);
            } catch (IllegalArgumentException e) {
                throw new InvalidInput("actions[" + index + "] (" + kind.db() + ") value must be an id");
            }
        }
        if (template != null) {
            if (kind != ActionType.SEND_MESSAGE) {
                throw new InvalidInput("actions[" + index + "] (" + kind.db() + ") cannot have a template: only send_message falls back on one");
            }
            if (template.name() == null || template.name().isBlank()) {
                throw new InvalidInput("actions[" + index + "] (send_message) template.name is required");
            }
        }
        return new RuleAction(kind.db(), v, template == null ? null : new TemplateFallback(template.name().strip(),
                template.language() == null || template.language().isBlank() ? null : template.language().strip(),
                template.variables() == null ? List.of() : List.copyOf(template.variables())));
    }

    static List<RuleAction> checkedAll(List<RuleAction> actions) {
        if (actions == null || actions.isEmpty()) {
            throw new InvalidInput("actions must list at least one action");
        }
        if (actions.size() > 20) {
            throw new InvalidInput("actions may list at most 20 actions");
        }
        return java.util.stream.IntStream.range(0, actions.size()).mapToObj(i -> {
            if (actions.get(i) == null) {
                throw new InvalidInput("actions[" + i + "] is empty");
            }
            return actions.get(i).checked(i);
        }).toList();
    }
}
