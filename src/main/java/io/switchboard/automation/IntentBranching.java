package io.switchboard.automation;

import io.switchboard.ai.IntentShortcut;
import io.switchboard.conversation.Conversation;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * AI branching: before the LLM, a customer text that an intent recognises runs the intent's actions instead, and
 * the run is logged as one LLM call saved. Claimed in the run log per conversation and customer message time, so a
 * turn that runs again for the same messages does not answer twice.
 */
@Component
class IntentBranching implements IntentShortcut {

    private static final Logger log = LoggerFactory.getLogger(IntentBranching.class);

    private final Intents intents;
    private final RunLog runs;
    private final RuleEngine engine;

    IntentBranching(Intents intents, RunLog runs, RuleEngine engine) {
        this.intents = intents;
        this.runs = runs;
        this.engine = engine;
    }

    @Override
    public boolean handled(Conversation conversation, String latestCustomerText) {
        Optional<Intents.Match> match = intents.match(latestCustomerText);
        if (match.isEmpty()) {
            return false;
        }
        Intent intent = match.get().intent();
        String eventKey = "turn:" + conversation.id() + ":"
                + (conversation.lastCustomerMessageAt() == null ? 0 : conversation.lastCustomerMessageAt().toEpochMilli());
        Optional<UUID> claimed = runs.claim(null, intent.id(), eventKey, "intent", conversation.id(), 0);
        if (claimed.isEmpty()) {
            return true; // this intent already answered these messages
        }
        log.info("Intent '{}' ({}, {}) answers conversation {} without the LLM", intent.name(), match.get().how(),
                match.get().confidence(), conversation.id());
        RuleEngine.Outcome outcome = engine.perform(conversation.id(), intent.actions(), Actor.intent(intent.id()),
                RunOrigin.Origin.TOP.child(null));
        // an intent that could do nothing (e.g. its message was withheld) leaves the turn to the LLM
        boolean answered = outcome.error() == null || !outcome.done().isEmpty();
        runs.finish(claimed.get(), true, outcome.done(), outcome.error(), answered);
        return answered;
    }
}
