package io.switchboard.automation;

import java.util.List;
import java.util.UUID;

/**
 * An intent: what a customer means, recognised by keywords, regular expressions or example phrases (matched by
 * meaning and words with at least {@code threshold} similarity); its actions answer instead of the LLM.
 */
public record Intent(UUID id, String name, List<String> keywords, List<String> patterns, List<String> examples,
                     double threshold, List<RuleAction> actions, boolean enabled) {
}
