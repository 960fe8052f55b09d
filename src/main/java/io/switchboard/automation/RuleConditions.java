package io.switchboard.automation;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule's conditions: every condition of {@code all} must hold, and at least one of {@code any} when it lists
 * any. No conditions at all: the rule fires on every event of its kind.
 */
public record RuleConditions(List<RuleCondition> all, List<RuleCondition> any) {

    public RuleConditions {
        all = all == null ? List.of() : List.copyOf(all);
        any = any == null ? List.of() : List.copyOf(any);
    }

    static final RuleConditions NONE = new RuleConditions(List.of(), List.of());

    boolean holdFor(Facts facts) {
        return all.stream().allMatch(c -> c.holds(facts)) && (any.isEmpty() || any.stream().anyMatch(c -> c.holds(facts)));
    }

    RuleConditions checked() {
        List<RuleCondition> checkedAll = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            checkedAll.add(require(all.get(i), "conditions.all[" + i + "]").checked("conditions.all[" + i + "]"));
        }
        List<RuleCondition> checkedAny = new ArrayList<>();
        for (int i = 0; i < any.size(); i++) {
            checkedAny.add(require(any.get(i), "conditions.any[" + i + "]").checked("conditions.any[" + i + "]"));
        }
        return new RuleConditions(checkedAll, checkedAny);
    }

    private static RuleCondition require(RuleCondition condition, String where) {
        if (condition == null) {
            throw new io.switchboard.refusal.InvalidInput(where + " is empty");
        }
        return condition;
    }

    /** Whether some condition needs the customer's intent (then the intent matcher runs). */
    boolean mentionIntent() {
        return all.stream().anyMatch(c -> c.f().equals("intent")) || any.stream().anyMatch(c -> c.f().equals("intent"));
    }
}
