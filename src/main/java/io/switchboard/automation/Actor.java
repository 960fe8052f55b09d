package io.switchboard.automation;

import java.util.UUID;

/** Who runs actions: a rule or an intent (automatic), or a person running a macro. */
record Actor(UUID ruleId, UUID intentId, UUID userId) {

    static Actor rule(UUID ruleId) {
        return new Actor(ruleId, null, null);
    }

    static Actor intent(UUID intentId) {
        return new Actor(null, intentId, null);
    }

    static Actor person(UUID userId) {
        return new Actor(null, null, userId);
    }

    boolean automatic() {
        return userId == null;
    }

    String actorType() {
        return automatic() ? "system" : "agent";
    }
}
