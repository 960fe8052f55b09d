package io.switchboard.automation;

import io.switchboard.refusal.InvalidInput;
import java.util.List;

/** What an administrator sends to create or change a rule; absent fields keep their value on change. */
public record RuleDraft(String name, String description, String event, Integer minutes, RuleConditions conditions,
                        List<RuleAction> actions, Boolean enabled, Integer position) {

    /** The draft as a complete rule over {@code base} (null: a new rule), checked. */
    Rule over(Rule base) {
        String n = name != null ? name.strip() : base == null ? null : base.name();
        if (n == null || n.isEmpty() || n.length() > 200) {
            throw new InvalidInput("name is required (at most 200 characters)");
        }
        AutomationEvent e = event != null ? AutomationEvent.parse(event) : base == null ? null : base.event();
        if (e == null) {
            throw new InvalidInput("event is required");
        }
        Integer m = minutes != null ? minutes : base == null ? null : base.minutes();
        if (e == AutomationEvent.NO_CUSTOMER_REPLY && (m == null || m < 1 || m > 60 * 24 * 30)) {
            throw new InvalidInput("minutes is required for no_customer_reply (1 to 43200)");
        }
        RuleConditions c = conditions != null ? conditions.checked() : base == null ? RuleConditions.NONE : base.conditions();
        List<RuleAction> a = actions != null || base == null ? RuleAction.checkedAll(actions) : base.actions();
        return new Rule(base == null ? null : base.id(), n, description != null ? description : base == null ? null : base.description(),
                e, e == AutomationEvent.NO_CUSTOMER_REPLY ? m : null, c, a,
                enabled != null ? enabled : base == null || base.enabled(),
                position != null ? position : base == null ? Integer.MAX_VALUE : base.position(), base == null ? null : base.createdAt());
    }
}
