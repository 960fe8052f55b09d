package io.switchboard.knowledge;

import java.util.List;

/**
 * A document reduced to its text, as sections under their heading path ("Trocas › Prazo"), in reading order.
 * Parsing keeps structure so chunks can be cited by section and never straddle two topics.
 */
record ParsedDocument(String title, List<Section> sections) {

    record Section(List<String> headings, String text) {

        String path() {
            return String.join(" › ", headings);
        }
    }

    String fullText() {
        StringBuilder text = new StringBuilder();
        sections.forEach(s -> text.append(s.text()).append('\n'));
        return text.toString();
    }
}
