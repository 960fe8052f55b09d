package io.switchboard.knowledge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a parsed document into chunks by structure: a section is one chunk when it fits, and a long section is cut
 * at paragraph (then word) boundaries into pieces of about {@link #MAX_TOKENS} tokens that overlap by
 * {@link #OVERLAP_TOKENS}, so a sentence cut at a border is whole in one of the two. A chunk never spans two
 * sections: its heading path says what it is about. Tokens are estimated from words (≈1.3 per word in Portuguese
 * and English), which is close enough for sizing.
 */
final class Chunker {

    static final int MAX_TOKENS = 700;
    static final int OVERLAP_TOKENS = 80;
    private static final double TOKENS_PER_WORD = 1.3;
    private static final int MAX_WORDS = (int) (MAX_TOKENS / TOKENS_PER_WORD);
    private static final int OVERLAP_WORDS = (int) (OVERLAP_TOKENS / TOKENS_PER_WORD);

    record Chunk(int position, String section, String content) {

        /** What is embedded and indexed: the section path carries the topic into the chunk's text. */
        String searchableText() {
            return section.isBlank() ? content : section + "\n" + content;
        }
    }

    private Chunker() {
    }

    static List<Chunk> chunks(ParsedDocument document) {
        List<Chunk> chunks = new ArrayList<>();
        for (ParsedDocument.Section section : document.sections()) {
            for (String piece : pieces(section.text())) {
                chunks.add(new Chunk(chunks.size(), section.path(), piece));
            }
        }
        return chunks;
    }

    private static List<String> pieces(String text) {
        if (words(text).length <= MAX_WORDS) {
            return List.of(text);
        }
        List<String> pieces = new ArrayList<>();
        List<String> window = new ArrayList<>();
        int windowWords = 0;
        for (String paragraph : text.split("\\n\\s*\\n")) {
            String[] paragraphWords = words(paragraph);
            if (paragraphWords.length > MAX_WORDS) {
                // one huge paragraph: close what we have, then slide over its words
                if (!window.isEmpty()) {
                    pieces.add(String.join("\n\n", window));
                    window.clear();
                    windowWords = 0;
                }
                for (int start = 0; start < paragraphWords.length; start += MAX_WORDS - OVERLAP_WORDS) {
                    int end = Math.min(paragraphWords.length, start + MAX_WORDS);
                    pieces.add(String.join(" ", Arrays.copyOfRange(paragraphWords, start, end)));
                    if (end == paragraphWords.length) {
                        break;
                    }
                }
                continue;
            }
            if (windowWords + paragraphWords.length > MAX_WORDS && !window.isEmpty()) {
                pieces.add(String.join("\n\n", window));
                String last = window.get(window.size() - 1);
                window.clear();
                windowWords = 0;
                if (words(last).length <= OVERLAP_WORDS) {
                    window.add(last);
                    windowWords = words(last).length;
                } else {
                    String[] lastWords = words(last);
                    window.add(String.join(" ", Arrays.copyOfRange(lastWords, lastWords.length - OVERLAP_WORDS, lastWords.length)));
                    windowWords = OVERLAP_WORDS;
                }
            }
            window.add(paragraph.strip());
            windowWords += paragraphWords.length;
        }
        if (!window.isEmpty()) {
            pieces.add(String.join("\n\n", window));
        }
        return pieces;
    }

    private static String[] words(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? new String[0] : stripped.split("\\s+");
    }
}
