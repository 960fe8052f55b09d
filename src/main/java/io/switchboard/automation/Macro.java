package io.switchboard.automation;

import java.util.List;
import java.util.UUID;

/** A list of actions a person runs on a conversation with one click. */
public record Macro(UUID id, String name, List<RuleAction> actions) {
}
