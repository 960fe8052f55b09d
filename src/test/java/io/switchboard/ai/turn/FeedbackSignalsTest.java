package io.switchboard.ai.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.knowledge.Feedback.Kind;
import org.junit.jupiter.api.Test;

/** The word detector of feedback, which works without an LLM (issue 11). */
class FeedbackSignalsTest {

    @Test
    void theFuriousCustomerComplainsAndAskingForAPersonIsRecognizedInBothLanguages() {
        assertThat(FeedbackSignals.of(FuriousCustomerTest.FURIOUS, true)).containsExactly(Kind.COMPLAINT);
        assertThat(FeedbackSignals.of("Péssimo atendimento!!", true)).containsExactly(Kind.COMPLAINT);
        assertThat(FeedbackSignals.of("The package arrived broken and nobody helps", true)).contains(Kind.COMPLAINT);
        assertThat(FeedbackSignals.of("Quero falar com um atendente, por favor", true)).containsExactly(Kind.HUMAN_REQUEST);
        assertThat(FeedbackSignals.of("Can I talk to a human?", true)).containsExactly(Kind.HUMAN_REQUEST);
    }

    @Test
    void anUnhelpfulAnswerIsTheAisOnlyWhenTheAiAnswered() {
        assertThat(FeedbackSignals.of("Isso não ajudou em nada, você não entendeu", true)).contains(Kind.UNHELPFUL_ANSWER);
        assertThat(FeedbackSignals.of("That doesn't help, you didn't answer my question", true)).contains(Kind.UNHELPFUL_ANSWER);
        assertThat(FeedbackSignals.of("Isso não ajudou em nada", false)).doesNotContain(Kind.UNHELPFUL_ANSWER);
    }

    @Test
    void praiseAndSuggestionsAreRecordedAndOrdinaryQuestionsAreNothing() {
        assertThat(FeedbackSignals.of("Adorei, muito obrigada pela ajuda!", true)).containsExactly(Kind.PRAISE);
        assertThat(FeedbackSignals.of("Great service, thank you so much", true)).containsExactly(Kind.PRAISE);
        assertThat(FeedbackSignals.of("Uma sugestão: vocês poderiam entregar no sábado", true)).containsExactly(Kind.SUGGESTION);
        assertThat(FeedbackSignals.of("It would be nice if you had gift wrapping", true)).containsExactly(Kind.SUGGESTION);
        assertThat(FeedbackSignals.of("Qual o horário de atendimento?", true)).isEmpty();
        assertThat(FeedbackSignals.of("Não é péssimo, só demorou um pouco", true)).isEmpty();
        assertThat(FeedbackSignals.of(null, true)).isEmpty();
    }
}
