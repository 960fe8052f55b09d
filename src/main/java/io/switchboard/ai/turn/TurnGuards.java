package io.switchboard.ai.turn;

import io.switchboard.ai.AiAgent;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The checks between a customer message and the model: the customer asked for a person, the conversation ran
 * too long, the sentiment is strongly negative, or the agent is over its request or spending limits. Each
 * hands the customer to a person (with the reason) instead of calling the model.
 */
@Component
class TurnGuards {

    private final AgentLimits limits;

    TurnGuards(AgentLimits limits) {
        this.limits = limits;
    }

    /** Why this turn must hand over instead of calling the model, or empty when it may go on. */
    Optional<String> handOverReason(TurnContext context) {
        AiAgent agent = context.agent();
        if (agent == null || !agent.enabled()) {
            return Optional.of("the conversation's AI agent is disabled");
        }
        Optional<String> trigger = escalationTrigger(context);
        if (trigger.isPresent()) {
            return trigger;
        }
        return context.endpoint().isPresent() ? limits.refusal(agent) : Optional.empty();
    }

    // package-visible: a rehearsal applies the same triggers (but never the request or spending limits)
    static Optional<String> escalationTrigger(TurnContext context) {
        var rules = context.agent().settings().escalation();
        if (!rules.enabled()) {
            return Optional.empty();
        }
        String customerText = context.customerText();
        if (rules.humanRequestEnabled()) {
            Optional<String> phrase = EscalationRules.humanRequest(customerText, rules.humanRequestPhrases());
            if (phrase.isPresent()) {
                return Optional.of("the customer asked for a person (\"" + phrase.get() + "\")");
            }
        }
        if (rules.maxCustomerMessagesEnabled() && rules.maxCustomerMessages() > 0
                && context.customerMessages() > rules.maxCustomerMessages()) {
            return Optional.of("the conversation passed " + rules.maxCustomerMessages() + " customer messages");
        }
        double sentiment = EscalationRules.sentiment(customerText);
        if (rules.negativeSentimentEnabled() && sentiment <= rules.negativeSentimentThreshold()) {
            return Optional.of("strongly negative sentiment (score " + sentiment + ")");
        }
        return Optional.empty();
    }
}
