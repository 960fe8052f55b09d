package io.switchboard.automation;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.refusal.Refusal;
import java.io.Serializable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs the rules of one event: in order, each claimed in the run log first (so it fires once whatever node or retry
 * gets there), its conditions evaluated, its actions done until one fails, and the outcome logged. Runs in the
 * organization's tenant scope (the caller's job sets it).
 */
@Component
class RuleEngine {

    private static final Logger log = LoggerFactory.getLogger(RuleEngine.class);

    /**
     * One event to run rules for. {@code eventKey} identifies the event (e.g. the customer message's id);
     * {@code onlyRule} restricts the run to one rule (time-based rules are scheduled each on its own).
     */
    record EventOrder(UUID organizationId, UUID conversationId, String event, UUID messageId, String eventKey, int depth,
                      ArrayList<UUID> ancestors, UUID onlyRule) implements Serializable {
    }

    private final AutomationRules rules;
    private final RunLog runs;
    private final ActionRunner actions;
    private final Conversations conversations;
    private final Contacts contacts;
    private final Intents intents;
    private final Clock clock;

    RuleEngine(AutomationRules rules, RunLog runs, ActionRunner actions, Conversations conversations, Contacts contacts,
               Intents intents, Clock clock) {
        this.rules = rules;
        this.runs = runs;
        this.actions = actions;
        this.conversations = conversations;
        this.contacts = contacts;
        this.intents = intents;
        this.clock = clock;
    }

    void run(EventOrder order) {
        AutomationEvent event = AutomationEvent.valueOf(order.event());
        List<Rule> candidates = order.onlyRule() == null ? rules.enabledFor(order.organizationId(), event)
                : rules.find(order.onlyRule()).filter(Rule::enabled).stream().toList();
        String text = order.messageId() == null ? null : conversations.message(order.messageId()).content();
        Supplier<String> intent = memoized(() -> intents.match(text).map(m -> m.intent().name()).orElse(null));
        for (Rule rule : candidates) {
            if (order.ancestors().contains(rule.id())) {
                continue; // its own actions caused this event: a rule never re-triggers itself
            }
            Optional<UUID> claimed = runs.claim(rule.id(), null, order.eventKey(), event.db(), order.conversationId(), order.depth());
            if (claimed.isEmpty()) {
                continue;
            }
            Optional<Conversation> conversation = conversations.findOptional(order.conversationId());
            if (conversation.isEmpty()) {
                runs.finish(claimed.get(), false, List.of(), "the conversation no longer exists", false);
                continue;
            }
            boolean matched;
            try {
                matched = rule.conditions().holdFor(facts(conversation.get(), text, intent));
            } catch (RuntimeException e) {
                runs.finish(claimed.get(), false, List.of(), "conditions could not be evaluated: " + e.getMessage(), false);
                continue;
            }
            if (!matched) {
                runs.finish(claimed.get(), false, List.of(), null, false);
                continue;
            }
            Outcome outcome = perform(order.conversationId(), rule.actions(), Actor.rule(rule.id()),
                    new RunOrigin.Origin(order.depth(), order.ancestors()).child(rule.id()));
            runs.finish(claimed.get(), true, outcome.done(), outcome.error(), false);
        }
    }

    /** What a list of actions did: the ones done, and the error that stopped the rest (null: all done). */
    record Outcome(List<String> done, String error) {
    }

    /** Does the actions in order as {@code actor}, stopping at the first that fails; events they publish are children of {@code origin}. */
    Outcome perform(UUID conversationId, List<RuleAction> list, Actor actor, RunOrigin.Origin origin) {
        List<String> done = new ArrayList<>();
        String[] error = {null};
        RunOrigin.during(origin, () -> {
            for (RuleAction action : list) {
                try {
                    done.add(actions.perform(conversationId, action, actor));
                } catch (ActionRunner.ActionFailed | Refusal e) {
                    error[0] = action.type() + ": " + e.getMessage();
                    return;
                } catch (RuntimeException e) {
                    log.warn("Automation action {} on conversation {} failed", action.type(), conversationId, e);
                    error[0] = action.type() + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                    return;
                }
            }
        });
        return new Outcome(done, error[0]);
    }

    private Facts facts(Conversation conversation, String text, Supplier<String> intent) {
        Contact contact = contacts.find(conversation.contactId()).orElse(null);
        String stage = conversation.stageId() == null ? null : conversations.stageName(conversation.stageId()).orElse(null);
        return new Facts(conversation, text, conversations.tags(conversation.id()), contact, actions.attributes(contact), stage,
                intent, clock.instant());
    }

    private static <T> Supplier<T> memoized(Supplier<T> supplier) {
        return new Supplier<>() {
            private boolean done;
            private T value;

            @Override
            public T get() {
                if (!done) {
                    value = supplier.get();
                    done = true;
                }
                return value;
            }
        };
    }
}
