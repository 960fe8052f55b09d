package io.switchboard.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The word index reads chunks' tsvectors in PostgreSQL's text form; a misread lexeme would never be found. */
class WordIndexLexemesTest {

    @Test
    void readsLexemesWithTheirCountsQuotesAndWeights() {
        Map<String, Integer> read = new LinkedHashMap<>();
        int total = WordIndex.Lexemes.read("'entreg':3,17,40 'it''s':2 'nordest':5B 'sem-posica' 'a\\\\b':1 'frete':1A,7",
                (lexeme, count) -> read.put(lexeme, count));

        // a heading word (weight A) counts 3 times, B twice
        assertThat(read).containsExactly(Map.entry("entreg", 3), Map.entry("it's", 1), Map.entry("nordest", 2),
                Map.entry("sem-posica", 1), Map.entry("a\\b", 1), Map.entry("frete", 4));
        assertThat(total).isEqualTo(12);
    }

    @Test
    void anEmptyVectorHasNoWords() {
        assertThat(WordIndex.Lexemes.read("", (lexeme, count) -> { throw new AssertionError(lexeme); })).isZero();
    }
}
