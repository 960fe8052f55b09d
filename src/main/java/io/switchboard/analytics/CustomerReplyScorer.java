package io.switchboard.analytics;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The transparent scorer of a customer's last message: a confirmation (thanks, solved, a thumbs up), a complaint
 * (not solved, did not help), or neither. Word lists, not a model, so anyone can read why a conversation counted
 * as resolved. Complaints win over thanks.
 */
class CustomerReplyScorer {

    enum Verdict { CONFIRMATION, COMPLAINT, NEUTRAL }

    private static final List<String> COMPLAINTS = List.of(
            "nao resolveu", "nao resolvido", "nao ajudou", "nao funcionou", "nao funciona", "continua", "ainda nao",
            "de novo", "nao entendi", "nao era isso", "didn't help", "didnt help", "did not help", "not solved",
            "not resolved", "still not", "doesn't work", "doesnt work", "not working", "still broken", "not what i");
    private static final List<String> CONFIRMATIONS = List.of(
            "obrigad", "valeu", "resolvido", "resolveu", "deu certo", "funcionou", "perfeito", "otimo", "show",
            "tudo certo", "era isso", "ajudou", "thank", "thx", "solved", "resolved", "that worked", "it works",
            "perfect", "great", "got it", "👍", "🙏", "😊", "❤");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    Verdict score(String text) {
        if (text == null || text.isBlank()) {
            return Verdict.NEUTRAL;
        }
        String normal = MARKS.matcher(Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD))
                .replaceAll("").replace('’', '\'');
        if (COMPLAINTS.stream().anyMatch(normal::contains)) {
            return Verdict.COMPLAINT;
        }
        return CONFIRMATIONS.stream().anyMatch(normal::contains) ? Verdict.CONFIRMATION : Verdict.NEUTRAL;
    }
}
