package io.switchboard.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Whether the AI resolved a conversation (definition in the README, "Resolution rate"). Only conversations the AI
 * answered get one.
 */
public enum Resolution {
    /** The customer confirmed after the AI's answer (the scorer recognised a thank-you or "solved"). */
    CONFIRMED,
    /** No handoff and no further customer message within the window after the AI's last answer. */
    ASSUMED,
    /** Handed off, or the customer's last word is a complaint or a question left unanswered past the window. */
    NOT_RESOLVED,
    /** Confirmed or assumed, but the customer came back within the window (a new conversation or a reopening). */
    REVERSED,
    /** Not decided yet: the window after the AI's last answer is still open. */
    PENDING;

    /** How long after the AI's last answer silence means "resolved", and a return means "not after all". */
    static final Duration WINDOW = Duration.ofHours(24);

    public String db() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What the refresh knows about one AI-answered conversation. */
    record Evidence(boolean escalated, Instant firstAiAnswerAt, Instant lastAiAnswerAt, Instant lastCustomerAt, String lastCustomerText,
                    boolean cameBack) {
    }

    static Resolution classify(Evidence e, Instant now, CustomerReplyScorer scorer) {
        if (e.escalated()) {
            return NOT_RESOLVED;
        }
        boolean customerSpokeLast = e.lastCustomerAt() != null && e.lastCustomerAt().isAfter(e.lastAiAnswerAt());
        // only words written after the AI first answered can judge its answers
        boolean customerSpokeAfterAi = e.lastCustomerAt() != null && e.lastCustomerAt().isAfter(e.firstAiAnswerAt());
        CustomerReplyScorer.Verdict verdict = customerSpokeAfterAi ? scorer.score(e.lastCustomerText())
                : CustomerReplyScorer.Verdict.NEUTRAL;
        if (verdict == CustomerReplyScorer.Verdict.COMPLAINT) {
            return NOT_RESOLVED;
        }
        if (verdict == CustomerReplyScorer.Verdict.CONFIRMATION) {
            return e.cameBack() ? REVERSED : CONFIRMED;
        }
        if (customerSpokeLast) {
            // the customer asked again and nothing answered: open for the window, then not resolved
            return now.isBefore(e.lastCustomerAt().plus(WINDOW)) ? PENDING : NOT_RESOLVED;
        }
        if (now.isBefore(e.lastAiAnswerAt().plus(WINDOW))) {
            return e.cameBack() ? REVERSED : PENDING;
        }
        return e.cameBack() ? REVERSED : ASSUMED;
    }
}
