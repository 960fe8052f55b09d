package io.switchboard.knowledge;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * The PostgreSQL text search configuration for a document: {@code portuguese} or {@code english}, guessed from
 * which language's most frequent words the text uses more when the uploader did not say.
 */
final class DocumentLanguage {

    static final String PORTUGUESE = "portuguese";
    static final String ENGLISH = "english";

    private static final Set<String> PT = Set.of("de", "que", "nao", "para", "com", "uma", "os", "no", "na", "do", "da",
            "em", "um", "por", "mais", "as", "dos", "das", "se", "ao", "voce", "seu", "sua", "pelo", "pela", "ou", "sao");
    private static final Set<String> EN = Set.of("the", "of", "and", "to", "in", "is", "you", "that", "it", "for", "on",
            "with", "are", "as", "be", "this", "your", "or", "by", "not", "we", "from", "can", "will", "an");

    private DocumentLanguage() {
    }

    /** The configuration named by the uploader ("pt", "en", "portuguese", …), else guessed from the text. */
    static String of(String requested, String text) {
        if (requested != null && !requested.isBlank()) {
            String value = requested.strip().toLowerCase(Locale.ROOT);
            if (value.startsWith("pt") || value.equals(PORTUGUESE)) {
                return PORTUGUESE;
            }
            if (value.startsWith("en") || value.equals(ENGLISH)) {
                return ENGLISH;
            }
            throw new io.switchboard.refusal.InvalidInput("language must be 'pt' (portuguese) or 'en' (english), not '" + requested + "'");
        }
        return guess(text);
    }

    static String guess(String text) {
        String plain = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT);
        int pt = 0;
        int en = 0;
        int seen = 0;
        for (String word : plain.split("[^a-z]+")) {
            if (seen++ > 5000) {
                break;
            }
            pt += PT.contains(word) ? 1 : 0;
            en += EN.contains(word) ? 1 : 0;
        }
        return en > pt ? ENGLISH : PORTUGUESE;
    }
}
