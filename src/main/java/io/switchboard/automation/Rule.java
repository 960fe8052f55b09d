package io.switchboard.automation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An automation rule: when {@code event} happens (for {@link AutomationEvent#NO_CUSTOMER_REPLY}, after
 * {@code minutes} of silence) and its conditions hold, its actions run in order. Rules run by {@code position}.
 */
public record Rule(UUID id, String name, String description, AutomationEvent event, Integer minutes,
                   RuleConditions conditions, List<RuleAction> actions, boolean enabled, int position, Instant createdAt) {
}
