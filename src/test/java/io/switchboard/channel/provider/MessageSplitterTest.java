package io.switchboard.channel.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageSplitterTest {

    private static String withoutWhitespace(String text) {
        return text.replaceAll("\\s+", "");
    }

    private static String sentences(int minLength) {
        StringBuilder text = new StringBuilder();
        int n = 0;
        while (text.length() < minLength) {
            n++;
            text.append("Sentence number ").append(n).append(" explains one more detail of your order");
            text.append(n % 3 == 0 ? "! " : n % 5 == 0 ? "? " : ". ");
        }
        return text.toString().trim();
    }

    @Test
    void a_long_reply_is_split_into_twilio_sized_parts_that_end_on_sentence_boundaries() {
        String text = sentences(5000);
        assertThat(text.length()).isGreaterThanOrEqualTo(5000);

        List<String> parts = MessageSplitter.split(text, MessageSplitter.TWILIO_LIMIT);

        assertThat(parts).hasSizeGreaterThanOrEqualTo(4);
        assertThat(parts).allSatisfy(part -> {
            assertThat(part.length()).isLessThanOrEqualTo(MessageSplitter.TWILIO_LIMIT);
            assertThat(part).matches("(?s)Sentence.*[.!?]");
        });
        assertThat(withoutWhitespace(String.join(" ", parts))).isEqualTo(withoutWhitespace(text));
        assertThat(String.join(" ", parts)).isEqualTo(text);
    }

    @Test
    void a_paragraph_break_is_preferred_over_a_later_sentence_end() {
        String first = "First paragraph. It has two sentences.";
        String second = "Second paragraph is a bit longer. And continues here.";
        List<String> parts = MessageSplitter.split(first + "\n\n" + second, first.length() + 20);

        assertThat(parts).containsExactly(first, second);
    }

    @Test
    void a_windows_style_paragraph_break_counts_as_a_paragraph_break() {
        String first = "First paragraph. It has two sentences.";
        String second = "Second paragraph is a bit longer. And continues here.";
        List<String> parts = MessageSplitter.split(first + "\r\n\r\n" + second, first.length() + 20);

        assertThat(parts).containsExactly(first, second);
    }

    @Test
    void without_a_sentence_end_the_cut_falls_on_whitespace() {
        List<String> parts = MessageSplitter.split("alpha beta gamma delta epsilon", 12);

        assertThat(parts).containsExactly("alpha beta", "gamma delta", "epsilon");
    }

    @Test
    void a_text_without_spaces_is_still_split_within_the_limit() {
        String text = "x".repeat(3500);
        List<String> parts = MessageSplitter.split(text, MessageSplitter.TWILIO_LIMIT);

        assertThat(parts).hasSize(3).allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(1600));
        assertThat(String.join("", parts)).isEqualTo(text);
    }

    @Test
    void an_emoji_is_never_cut_in_half() {
        String text = "😀".repeat(10); // 20 chars, 10 surrogate pairs
        List<String> parts = MessageSplitter.split(text, 5);

        assertThat(parts).allSatisfy(part -> {
            assertThat(part.length()).isLessThanOrEqualTo(5);
            assertThat(Character.isLowSurrogate(part.charAt(0))).isFalse();
            assertThat(Character.isHighSurrogate(part.charAt(part.length() - 1))).isFalse();
        });
        assertThat(String.join("", parts)).isEqualTo(text);
    }

    @Test
    void a_short_text_is_one_part_and_a_blank_text_none() {
        assertThat(MessageSplitter.split("  Olá!  ", 1600)).containsExactly("Olá!");
        assertThat(MessageSplitter.split("   ", 1600)).isEmpty();
        assertThat(MessageSplitter.split(null, 1600)).isEmpty();
    }

    @Test
    void a_limit_too_small_for_an_emoji_is_refused() {
        assertThatThrownBy(() -> MessageSplitter.split("abc", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
