package io.switchboard.ai.turn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 11: a furious customer got the opening hours from the FAQ instead of a person. */
class FuriousCustomerTest {

    static final String FURIOUS = "Isso é um absurdo! Péssimo atendimento… estou muito irritada 😡";

    @Test
    void theFuriousMessageOfIssue11IsStronglyNegativeAtTheDefaultThreshold() {
        // default escalation threshold: -0.6 (AgentSettings.Escalation.DEFAULTS)
        assertThat(EscalationRules.sentiment(FURIOUS)).isLessThanOrEqualTo(-0.6);
    }

    @Test
    void anAngryFaceAndBeingAnnoyedCountButAPoliteQuestionStaysNeutral() {
        assertThat(EscalationRules.negativity("estou irritada 😡")).isEqualTo(2);
        assertThat(EscalationRules.sentiment("Qual o horário de atendimento?")).isZero();
    }
}
