package io.switchboard.ai.turn;

import io.switchboard.knowledge.Feedback;
import java.util.ArrayList;
import java.util.List;

/**
 * The feedback a customer message shows by its words alone, so detection works without an LLM: complaints by the
 * transparent negativity score of {@link EscalationRules} (or an explicit complaint phrase), requests for a person
 * by its phrases, and phrase lists for "that did not help", praise and suggestions, in Portuguese and English.
 * Phrases are matched on whole words, accents and case ignored.
 */
final class FeedbackSignals {

    /** Negativity from which a message is a complaint ("Péssimo atendimento!!" is 2; the furious message 5.5). */
    static final double COMPLAINT_NEGATIVITY = 2;

    private static final List<String> COMPLAINT_PHRASES = List.of(
            "quero reclamar", "vou reclamar", "fazer uma reclamacao", "minha reclamacao", "reclame aqui", "veio quebrado",
            "chegou quebrado", "veio com defeito", "chegou com defeito", "nao funciona", "ate agora nada", "ninguem resolve",
            "i want to complain", "file a complaint", "make a complaint", "arrived broken", "doesn't work", "does not work",
            "still waiting", "nobody helps");
    private static final List<String> UNHELPFUL_PHRASES = List.of(
            "nao respondeu", "nao responde minha", "nao ajudou", "nao ajuda em nada", "nao entendeu", "voce nao entende",
            "nao foi isso que perguntei", "nao foi o que eu perguntei", "resposta generica", "resposta automatica",
            "ja falei isso", "ja disse isso", "de novo a mesma resposta", "that doesn't help", "that does not help",
            "not helpful", "didn't help", "did not help", "you didn't answer", "you did not answer", "you don't understand",
            "that's not what i asked", "not what i asked", "same answer again", "generic answer");
    private static final List<String> PRAISE_PHRASES = List.of(
            "otimo atendimento", "excelente atendimento", "atendimento excelente", "atendimento otimo", "muito obrigado pela ajuda",
            "muito obrigada pela ajuda", "obrigado pela ajuda", "obrigada pela ajuda", "adorei", "amei", "parabens", "nota 10",
            "voces sao otimos", "super atenciosa", "super atencioso", "great service", "excellent service", "thank you so much",
            "thanks so much", "very helpful", "you're the best", "you are the best", "love it", "amazing service", "awesome");
    private static final List<String> SUGGESTION_PHRASES = List.of(
            "sugestao", "sugiro", "seria bom se", "seria legal se", "seria otimo se", "deveriam ter", "poderiam ter",
            "voces podiam", "voces poderiam", "i suggest", "suggestion", "it would be nice if", "it would be great if",
            "you should add", "you should have", "you could add");

    private FeedbackSignals() {
    }

    /** The kinds of feedback the message shows, each at most once. */
    static List<Feedback.Kind> of(String text, boolean answeredByAi) {
        List<Feedback.Kind> kinds = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return kinds;
        }
        String words = " " + EscalationRules.normalize(text).replaceAll("[^\\p{L}\\p{N}']+", " ").trim() + " ";
        boolean complaint = EscalationRules.negativity(text) >= COMPLAINT_NEGATIVITY || any(words, COMPLAINT_PHRASES);
        if (complaint) {
            kinds.add(Feedback.Kind.COMPLAINT);
        }
        if (EscalationRules.humanRequest(text, List.of()).isPresent()) {
            kinds.add(Feedback.Kind.HUMAN_REQUEST);
        }
        if (answeredByAi && any(words, UNHELPFUL_PHRASES)) {
            kinds.add(Feedback.Kind.UNHELPFUL_ANSWER);
        }
        if (!complaint && any(words, PRAISE_PHRASES)) {
            kinds.add(Feedback.Kind.PRAISE);
        }
        if (any(words, SUGGESTION_PHRASES)) {
            kinds.add(Feedback.Kind.SUGGESTION);
        }
        return kinds;
    }

    private static boolean any(String words, List<String> phrases) {
        for (String phrase : phrases) {
            if (words.contains(" " + phrase + " ")) {
                return true;
            }
        }
        return false;
    }
}
