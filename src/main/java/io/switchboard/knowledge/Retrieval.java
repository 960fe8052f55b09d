package io.switchboard.knowledge;

import java.util.List;

/**
 * What an agent's knowledge holds for a question. {@code hasKnowledge}: the agent has at least one base;
 * {@code handoffWhenMissing}: the agent is configured to hand over (reason {@code missing_knowledge}) rather than
 * guess when nothing relevant is found.
 */
public record Retrieval(boolean hasKnowledge, boolean handoffWhenMissing, List<Passage> passages) {

    public boolean found() {
        return !passages.isEmpty();
    }

    /** The agent should hand the customer to a person instead of answering without its knowledge. */
    public boolean missingKnowledge() {
        return hasKnowledge && handoffWhenMissing && passages.isEmpty();
    }
}
