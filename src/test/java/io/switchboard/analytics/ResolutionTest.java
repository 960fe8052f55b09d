package io.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The resolution rule on its own: what the customer did after the AI's answers decides it. */
class ResolutionTest {

    private static final Instant QUESTION = Instant.parse("2026-11-01T12:00:00Z");
    private static final Instant ANSWER = QUESTION.plusSeconds(5);
    private final CustomerReplyScorer scorer = new CustomerReplyScorer();

    private Resolution after(Instant now, Instant lastCustomer, String text, boolean escalated, boolean cameBack) {
        return Resolution.classify(new Resolution.Evidence(escalated, ANSWER, ANSWER, lastCustomer, text, cameBack), now, scorer);
    }

    @Test
    void silenceIsPendingForADayThenAssumedUnlessTheCustomerCameBack() {
        assertThat(after(ANSWER.plusSeconds(3600), QUESTION, "Qual o prazo?", false, false)).isEqualTo(Resolution.PENDING);
        assertThat(after(ANSWER.plusSeconds(86_400), QUESTION, "Qual o prazo?", false, false)).isEqualTo(Resolution.ASSUMED);
        assertThat(after(ANSWER.plusSeconds(86_400), QUESTION, "Qual o prazo?", false, true)).isEqualTo(Resolution.REVERSED);
    }

    @Test
    void thanksConfirmAndAComplaintOrAHandoffDoNot() {
        Instant thanks = ANSWER.plusSeconds(30);
        assertThat(after(thanks.plusSeconds(1), thanks, "Valeu, deu certo 👍", false, false)).isEqualTo(Resolution.CONFIRMED);
        assertThat(after(thanks.plusSeconds(1), thanks, "Obrigado, mas não resolveu", false, false)).isEqualTo(Resolution.NOT_RESOLVED);
        assertThat(after(thanks.plusSeconds(1), thanks, "Thanks!", true, false)).isEqualTo(Resolution.NOT_RESOLVED);
        assertThat(after(thanks.plusSeconds(1), thanks, "Thanks!", false, true)).isEqualTo(Resolution.REVERSED);
    }

    @Test
    void aQuestionLeftUnansweredIsNotResolvedOnceTheWindowCloses() {
        Instant again = ANSWER.plusSeconds(60);
        assertThat(after(again.plusSeconds(60), again, "E o boleto?", false, false)).isEqualTo(Resolution.PENDING);
        assertThat(after(again.plusSeconds(86_400), again, "E o boleto?", false, false)).isEqualTo(Resolution.NOT_RESOLVED);
    }

    @Test
    void thanksBeforeTheAiEverAnsweredConfirmNothing() {
        assertThat(after(ANSWER.plusSeconds(86_400), QUESTION, "Obrigado!", false, false)).isEqualTo(Resolution.ASSUMED);
    }
}
