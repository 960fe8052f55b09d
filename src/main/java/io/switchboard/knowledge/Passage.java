package io.switchboard.knowledge;

import java.util.UUID;

/**
 * A chunk found for a question, with where it comes from (document title and section path) so an answer can cite
 * it. {@code language} is the text search configuration of its document; {@code cosine} is the vector similarity (−1…1), {@code wordsMatched}/{@code wordsWanted} how many of the
 * question's words (stemmed, accents ignored) the chunk holds, {@code score} the fused rank score.
 */
public record Passage(UUID chunkId, UUID documentId, String documentTitle, String section, String content,
                      boolean curated, String language, double cosine, int wordsMatched, int wordsWanted, double score) {

    /** "Title › Section", how a passage is cited. */
    public String source() {
        return section == null || section.isBlank() ? documentTitle : documentTitle + " › " + section;
    }

    /** Share of the question's words found in the passage (0 when the question had none). */
    public double coverage() {
        return wordsWanted == 0 ? 0 : (double) wordsMatched / wordsWanted;
    }
}
