package io.switchboard.channel.provider;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a long reply into parts a provider accepts, cutting where a reader would: at a paragraph
 * break, else after a sentence end ({@code . ! ? …} followed by whitespace), else at whitespace, and
 * only as a last resort in the middle of a word (never inside a surrogate pair, so emoji survive).
 *
 * <p>Contract: every part is non-blank and at most {@code limit} Java chars; parts are in order;
 * joined, they reproduce the text except for the whitespace dropped at the cut points.
 */
public final class MessageSplitter {

    /** Twilio rejects a {@code Body} longer than this. */
    public static final int TWILIO_LIMIT = 1600;
    /** Meta Cloud API text message limit. */
    public static final int META_LIMIT = 4096;
    /** Evolution API (WhatsApp Web) practical limit, kept equal to Meta's. */
    public static final int EVOLUTION_LIMIT = 4096;

    private MessageSplitter() {
    }

    /**
     * @param text  the text to split; null or blank gives an empty list
     * @param limit maximum chars per part, at least 2 (a surrogate pair must fit)
     */
    public static List<String> split(String text, int limit) {
        if (limit < 2) {
            throw new IllegalArgumentException("limit must be at least 2 characters, was " + limit);
        }
        List<String> parts = new ArrayList<>();
        if (text == null) {
            return parts;
        }
        int length = text.length();
        int start = skipWhitespace(text, 0);
        while (start < length) {
            if (length - start <= limit) {
                parts.add(text.substring(start).stripTrailing());
                break;
            }
            int end = cutPoint(text, start, start + limit);
            parts.add(text.substring(start, end).stripTrailing());
            start = skipWhitespace(text, end);
        }
        return parts;
    }

    /**
     * Best end (exclusive) for a part starting at {@code start} that must end by {@code maxEnd}.
     * {@code text.charAt(start)} is not whitespace, and {@code maxEnd < text.length()}.
     */
    private static int cutPoint(String text, int start, int maxEnd) {
        int paragraph = lastParagraphBreak(text, start, maxEnd);
        if (paragraph > start) {
            return paragraph;
        }
        // A sentence end at i counts when the char after it (i + 1 <= maxEnd) is whitespace.
        for (int i = maxEnd - 1; i > start; i--) {
            if (isSentenceEnd(text.charAt(i)) && Character.isWhitespace(text.charAt(i + 1))) {
                return i + 1;
            }
        }
        for (int i = maxEnd; i > start; i--) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        if (Character.isHighSurrogate(text.charAt(maxEnd - 1)) && Character.isLowSurrogate(text.charAt(maxEnd))) {
            return maxEnd - 1;
        }
        return maxEnd;
    }

    /**
     * Start of the last blank line (two line breaks with only spaces, tabs or CR between, so
     * Windows line ends count too) that begins after {@code start} and before {@code maxEnd}; -1 if none.
     */
    private static int lastParagraphBreak(String text, int start, int maxEnd) {
        for (int i = Math.min(maxEnd, text.length() - 1); i > start; i--) {
            if (text.charAt(i) != '\n') {
                continue;
            }
            int j = i - 1;
            while (j > start && (text.charAt(j) == ' ' || text.charAt(j) == '\t' || text.charAt(j) == '\r')) {
                j--;
            }
            if (j > start && text.charAt(j) == '\n') {
                // cut before the first break, dropping a CR that belongs to it
                return j > start + 1 && text.charAt(j - 1) == '\r' ? j - 1 : j;
            }
        }
        return -1;
    }

    private static boolean isSentenceEnd(char c) {
        return c == '.' || c == '!' || c == '?' || c == '…';
    }

    private static int skipWhitespace(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
