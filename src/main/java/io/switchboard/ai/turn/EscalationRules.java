package io.switchboard.ai.turn;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Escalation triggers decided without an LLM call: the customer asks for a person, or writes with strongly
 * negative sentiment. The sentiment scorer is deliberately transparent — a word list for Portuguese and
 * English with negation and intensity — so a supervisor can see why a conversation was escalated.
 */
final class EscalationRules {

    /** Phrases (accent-free, lower case) that mean "let me talk to a person", in pt, en and es. */
    static final List<String> HUMAN_REQUEST_PHRASES = List.of(
            "falar com um atendente", "falar com atendente", "falar com humano", "falar com um humano",
            "falar com uma pessoa", "falar com alguem", "quero um atendente", "quero atendente", "atendente humano",
            "atendimento humano", "pessoa de verdade", "falar com o gerente", "falar com um gerente",
            "me transfere", "me transfira", "chama um atendente", "chamar um atendente", "nao quero falar com robo",
            "nao quero robo", "talk to a human", "speak to a human", "talk to a person", "speak to a person",
            "real person", "human agent", "talk to an agent", "speak to an agent", "customer service representative",
            "hablar con un humano", "hablar con una persona", "hablar con un agente", "quiero un agente",
            "persona real");

    private static final Set<String> NEGATIVE = Set.of(
            "pessimo", "pessima", "horrivel", "lixo", "absurdo", "absurda", "ridiculo", "ridicula", "vergonha",
            "odeio", "detesto", "raiva", "revoltado", "revoltada", "indignado", "indignada", "palhacada", "enganado",
            "enganada", "golpe", "fraude", "processar", "procon", "nunca mais", "descaso", "incompetente",
            "incompetentes", "inaceitavel", "irritado", "irritada", "furioso", "furiosa", "decepcionado", "decepcionada",
            "insatisfeito", "insatisfeita", "terrible", "awful", "horrible", "worst", "hate", "ridiculous",
            "unacceptable", "disgusting", "scam", "fraud", "useless", "furious", "angry", "sue", "lawyer",
            "incompetent", "pathetic");
    private static final Set<String> INTENSIFIERS = Set.of("muito", "super", "extremamente", "totalmente", "very",
            "extremely", "totally", "so", "really");
    private static final Set<String> NEGATIONS = Set.of("nao", "nem", "not", "never", "no", "don't", "dont");
    private static final Pattern WORDS = Pattern.compile("[\\p{L}']+");
    private static final Pattern ANGRY_EMOJI = Pattern.compile("\uD83D\uDE21|\uD83E\uDD2C|\uD83D\uDE20|\uD83D\uDC4E|\uD83D\uDCA2");

    private EscalationRules() {
    }

    /** The phrase the customer used to ask for a person, if any (extra phrases come from the agent). */
    static Optional<String> humanRequest(String text, List<String> extraPhrases) {
        String normalized = normalize(text);
        return java.util.stream.Stream.concat(HUMAN_REQUEST_PHRASES.stream(), extraPhrases.stream().map(EscalationRules::normalize))
                .filter(p -> !p.isBlank() && normalized.contains(p)).findFirst();
    }

    /**
     * A negativity score: each negative word counts 1, 2 after an intensifier, 0 after a negation ("não é
     * péssimo"); exclamation marks and ALL-CAPS words add weight. 3 or more reads as strongly negative.
     */
    static double negativity(String text) {
        String normalized = normalize(text);
        var matcher = WORDS.matcher(normalized);
        List<String> words = new java.util.ArrayList<>();
        while (matcher.find()) {
            words.add(matcher.group());
        }
        double score = 0;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String pair = i + 1 < words.size() ? word + " " + words.get(i + 1) : null;
            boolean negative = NEGATIVE.contains(word) || (pair != null && NEGATIVE.contains(pair));
            if (!negative) {
                continue;
            }
            String previous = i > 0 ? words.get(i - 1) : "";
            if (NEGATIONS.contains(previous)) {
                continue;
            }
            score += INTENSIFIERS.contains(previous) ? 2 : 1;
        }
        // angry faces say as much as a word ("estou muito irritada 😡")
        score += Math.min(2, ANGRY_EMOJI.matcher(text == null ? "" : text).results().count());
        long exclamations = text.chars().filter(c -> c == '!').count();
        score += Math.min(2, exclamations / 2.0);
        long shouted = WORDS.matcher(text).results().map(r -> r.group())
                .filter(w -> w.length() >= 4 && w.equals(w.toUpperCase(Locale.ROOT)) && !w.equals(w.toLowerCase(Locale.ROOT))).count();
        score += Math.min(2, shouted * 0.5);
        return score;
    }

    /** The negativity as a sentiment in [-1, 0]: 0 neutral, -0.6 at a score of 3 (strongly negative), -1 at 5. */
    static double sentiment(String text) {
        return -Math.min(1.0, negativity(text) / 5.0);
    }

    static String normalize(String text) {
        String decomposed = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFD);
        return decomposed.replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
    }
}
