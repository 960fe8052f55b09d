package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.ai.llm.FailureReason;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Stored reason sentences become message keys, so the inbox says them in the reader's language. */
class PhraseTest {

    @Test
    void everyLlmFailureTheAiModuleStoresIsRecognisedAndItsRepeatedDetailShownOnce() {
        for (FailureReason reason : FailureReason.values()) {
            Phrase phrase = Phrase.of("AI failure: " + reason.describe()
                    + " (java.net.ConnectException: Connection refused: java.net.ConnectException: Connection refused)");
            assertThat(phrase.key()).as(reason.name()).isEqualTo("reason.ai_failure." + reason.name().toLowerCase(Locale.ROOT));
            assertThat(phrase.detail()).isEqualTo("java.net.ConnectException: Connection refused");
            assertThat(Phrase.of("AI failure: " + reason.describe()).detail()).isNull();
        }
    }

    @Test
    void escalationsBecomeKeysWithTheirArgumentsAndFreeTextOfTheAiIsQuoted() {
        Phrase asked = Phrase.of("Escalated: the customer asked for a person (\"falar com um atendente\")");
        assertThat(asked.key()).isEqualTo("reason.human_request");
        assertThat(asked.args()).containsExactly("falar com um atendente");
        assertThat(Phrase.of("Escalated: the conversation passed 20 customer messages").args()).containsExactly("20");
        assertThat(Phrase.of("Escalated: no FAQ answer for the question and no LLM is configured").key()).isEqualTo("reason.no_faq");
        assertThat(Phrase.of("CRM: lead is in the human handoff stage").key()).isEqualTo("reason.crm_handoff");
        Phrase said = Phrase.of("Escalated: cliente quer cancelar o contrato");
        assertThat(said.key()).isEqualTo("reason.ai_said");
        assertThat(said.args()).containsExactly("cliente quer cancelar o contrato");
    }

    @Test
    void aSentenceNoRuleKnowsIsShownAsWritten() {
        Phrase unknown = Phrase.of("something only an old version wrote");
        assertThat(unknown.translated()).isFalse();
        assertThat(unknown.raw()).isEqualTo("something only an old version wrote");
        assertThat(Phrase.of(null)).isNull();
    }
}
