package io.switchboard.knowledge;

import io.switchboard.database.TenantScope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Hybrid retrieval: the question's nearest chunks by meaning (in-process vectors, {@link VectorIndex}) fused with
 * full-text search in each document's language ({@code portuguese}/{@code english}, accents ignored: PostgreSQL's
 * text search stems, {@link WordIndex} ranks by BM25) by reciprocal rank fusion. all-MiniLM-L6-v2 is English-first — any two Portuguese sentences look 0.4–0.5 alike to
 * it — so words decide as much as vectors: a passage is <em>relevant</em> only when it shares enough of the
 * question's words or is very close in meaning ({@link #relevant}). Curated Q&amp;A pairs that are relevant come
 * before document passages. Runs in the caller's tenant scope.
 */
@Service
public class KnowledgeSearch {

    /** How results are found; {@link #VECTORS} and {@link #FULL_TEXT} exist to measure the hybrid against them. */
    public enum Mode { VECTORS, FULL_TEXT, HYBRID }

    /** Candidates taken from each list before fusion. */
    static final int CANDIDATES = 20;
    /** Reciprocal rank fusion's constant (Cormack et al.): ranks past ~60 barely count. */
    static final int RRF_K = 60;
    /** Weight of the full-text ranks against the vector ranks in the fusion (words are the stronger signal in Portuguese). */
    static final double FULL_TEXT_WEIGHT = 1.5;
    /** Cosine at which meaning alone makes a passage relevant (MiniLM: unrelated Portuguese reaches ~0.55). */
    static final double COSINE_ALONE = 0.57;
    /** Cosine that, with some shared words, makes a passage relevant. */
    static final double COSINE_WITH_WORDS = 0.25;
    /** Share of the question's words a passage must hold to be relevant by words alone. */
    static final double COVERAGE_ALONE = 0.40;

    private final JdbcClient jdbc;
    private final TextEmbeddings embeddings;
    private final VectorIndex vectors;
    private final WordIndex words;

    KnowledgeSearch(JdbcClient jdbc, TextEmbeddings embeddings, VectorIndex vectors, WordIndex words) {
        this.jdbc = jdbc;
        this.embeddings = embeddings;
        this.vectors = vectors;
        this.words = words;
    }

    /** The knowledge bases {@code aiAgentId} answers from (read once per turn, with the turn's other reads). */
    public AgentKnowledge basesOf(UUID aiAgentId) {
        List<UUID> bases = new ArrayList<>();
        boolean[] handoff = {false};
        jdbc.sql("select knowledge_base_id, handoff_when_missing from knowledge_base_agents where ai_agent_id = ?")
                .param(aiAgentId).query(rs -> {
                    bases.add(rs.getObject(1, UUID.class));
                    handoff[0] |= rs.getBoolean(2);
                });
        return new AgentKnowledge(List.copyOf(bases), handoff[0]);
    }

    /** What an AI agent's knowledge bases hold about {@code question}: relevant passages, best first. */
    public Retrieval forAgent(UUID aiAgentId, String question, int limit) {
        return forAgent(basesOf(aiAgentId), question, limit);
    }

    /** What {@code knowledge} holds about {@code question}: relevant passages, best first. */
    public Retrieval forAgent(AgentKnowledge knowledge, String question, int limit) {
        List<Passage> passages = knowledge.bases().isEmpty() || question == null || question.isBlank() ? List.of()
                : search(knowledge.bases(), question, limit, Mode.HYBRID);
        return new Retrieval(!knowledge.bases().isEmpty(), knowledge.handoffWhenMissing(), passages);
    }

    /** Relevant passages of {@code bases} for {@code question}, best first, found the {@code mode} way. */
    public List<Passage> search(Collection<UUID> bases, String question, int limit, Mode mode) {
        return GATE.answerable(candidates(bases, question, mode), mode, limit);
    }

    /** Every fused candidate, curated Q&A first then by fused score, before the relevance gate. */
    List<Passage> candidates(Collection<UUID> bases, String question, Mode mode) {
        UUID organizationId = TenantScope.requireOrganization();
        Set<UUID> baseSet = Set.copyOf(bases);
        float[] query = queryVector(question);
        Map<String, List<String>> lexemes = questionWords(question);
        Map<UUID, Double> fused = new LinkedHashMap<>();
        if (mode != Mode.FULL_TEXT && query != null) {
            List<VectorIndex.Hit> hits = vectors.nearest(organizationId, baseSet, query, CANDIDATES);
            for (int rank = 0; rank < hits.size(); rank++) {
                fused.merge(hits.get(rank).chunkId(), 1.0 / (RRF_K + rank + 1), Double::sum);
            }
        }
        if (mode != Mode.VECTORS) {
            List<UUID> matches = words.best(organizationId, baseSet, lexemes, CANDIDATES);
            for (int rank = 0; rank < matches.size(); rank++) {
                fused.merge(matches.get(rank), FULL_TEXT_WEIGHT / (RRF_K + rank + 1), Double::sum);
            }
        }
        if (fused.isEmpty()) {
            return List.of();
        }
        List<Passage> passages = new ArrayList<>();
        for (Passage candidate : details(fused.keySet())) {
            double cosine = query == null ? Double.NaN : vectors.cosine(organizationId, candidate.chunkId(), query);
            WordIndex.Overlap overlap = words.overlap(organizationId, candidate.chunkId(), lexemes);
            passages.add(new Passage(candidate.chunkId(), candidate.documentId(), candidate.documentTitle(), candidate.section(),
                    candidate.content(), candidate.curated(), candidate.language(), Double.isNaN(cosine) ? 0 : cosine,
                    overlap.matched(), overlap.wanted(), fused.get(candidate.chunkId())));
        }
        passages.sort(Comparator.comparing((Passage p) -> !p.curated()).thenComparing(Passage::score, Comparator.reverseOrder()));
        return passages;
    }

    /** The question's vector, or null when the organization's embeddings endpoint fails: then words alone find passages. */
    private float[] queryVector(String question) {
        try {
            return embeddings.embed(question);
        } catch (TextEmbeddings.EmbeddingUnavailable e) {
            org.slf4j.LoggerFactory.getLogger(KnowledgeSearch.class).warn("Searching by words only: {}", e.getMessage());
            return null;
        }
    }

    /**
     * Which of {@code candidates} (e.g. an agent's FAQ questions) best matches {@code question} by the same rule as
     * {@link #search}: fused vector and word ranks over the candidates, and only a relevant one is returned.
     */
    public Optional<Integer> bestAmong(String question, List<String> candidates) {
        if (question == null || question.isBlank() || candidates.isEmpty()) {
            return Optional.empty();
        }
        float[] query = embeddings.embed(question);
        List<float[]> candidateVectors = embeddings.embedAll(candidates);
        List<int[]> words = jdbc.sql("""
                        with q as (select tsvector_to_array(to_tsvector('portuguese', switchboard_search_text(:q))) pt,
                                          tsvector_to_array(to_tsvector('english', switchboard_search_text(:q))) en)
                        select c.n,
                               (select count(*) from unnest(q.pt) w where w = any(tsvector_to_array(
                                    to_tsvector('portuguese', switchboard_search_text(c.text)))))::int,
                               cardinality(q.pt),
                               (select count(*) from unnest(q.en) w where w = any(tsvector_to_array(
                                    to_tsvector('english', switchboard_search_text(c.text)))))::int,
                               cardinality(q.en)
                        from q, unnest(cast(:texts as text[])) with ordinality as c(text, n)
                        order by c.n""")
                .param("q", question).param("texts", candidates.toArray(String[]::new))
                // each candidate's words are counted in its own language, never one language's hits over the other's total
                .query((rs, n) -> DocumentLanguage.ENGLISH.equals(DocumentLanguage.guess(candidates.get(rs.getInt(1) - 1)))
                        ? new int[] {rs.getInt(4), rs.getInt(5)} : new int[] {rs.getInt(2), rs.getInt(3)}).list();
        Integer best = null;
        double bestScore = 0;
        // rank by meaning and by words, fuse by rank as search does
        Integer[] byCosine = order(candidates.size(), i -> TextEmbeddings.dot(query, candidateVectors.get(i)));
        Integer[] byWords = order(candidates.size(), i -> (double) words.get(i)[0]);
        Map<Integer, Double> fused = new HashMap<>();
        for (int rank = 0; rank < candidates.size(); rank++) {
            fused.merge(byCosine[rank], 1.0 / (RRF_K + rank + 1), Double::sum);
            if (words.get(byWords[rank])[0] > 0) {
                fused.merge(byWords[rank], 1.0 / (RRF_K + rank + 1), Double::sum);
            }
        }
        for (var entry : fused.entrySet()) {
            int i = entry.getKey();
            Passage asPassage = new Passage(null, null, "", "", candidates.get(i), true, DocumentLanguage.guess(candidates.get(i)),
                    TextEmbeddings.dot(query, candidateVectors.get(i)), words.get(i)[0], words.get(i)[1], entry.getValue());
            if (QUESTION_GATE.relevant(asPassage, Mode.HYBRID) && entry.getValue() > bestScore) {
                best = i;
                bestScore = entry.getValue();
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether the document belongs to one of the agent's knowledge bases. */
    public boolean servesAgent(UUID documentId, UUID aiAgentId) {
        return jdbc.sql("""
                select count(*) from knowledge_documents d join knowledge_base_agents a on a.knowledge_base_id = d.knowledge_base_id
                where d.id = ? and a.ai_agent_id = ?""").params(documentId, aiAgentId).query(Integer.class).single() > 0;
    }

    /** Cosine similarity of two texts by the in-process model (for diagnostics and tests). */
    public double similarity(String first, String second) {
        return TextEmbeddings.dot(embeddings.embed(first), embeddings.embed(second));
    }

    /**
     * Whether a passage answers the question rather than merely resembling it. Vectors alone need a high cosine
     * (the English-first model rates unrelated Portuguese up to ~0.55); words alone need a good share of the
     * question's words; together a moderate cosine and some shared words are enough. Thresholds were chosen on the
     * evaluation set (see README, "Knowledge base").
     */
    record Gate(double cosineAlone, double coverageAlone, double cosineWithWords, double coverageWithWords,
                double cosineWithOneWord, double englishShift) {

        boolean relevant(Passage passage, Mode mode) {
            // the model is English-first: unrelated English stays below ~0.3, so English passages need less
            double cosine = passage.cosine() + (DocumentLanguage.ENGLISH.equals(passage.language()) ? englishShift : 0);
            boolean byMeaning = cosine >= cosineAlone;
            boolean byWords = passage.wordsMatched() >= 2 && passage.coverage() >= coverageAlone
                    || passage.wordsWanted() == 1 && passage.wordsMatched() == 1;
            // one shared word is weak evidence ("conta" in "me conta uma piada"): it needs a closer meaning
            boolean byBoth = passage.coverage() >= coverageWithWords && (passage.wordsMatched() >= 2 && cosine >= cosineWithWords
                    || passage.wordsMatched() == 1 && cosine >= cosineWithOneWord);
            return switch (mode) {
                case VECTORS -> byMeaning;
                case FULL_TEXT -> byWords;
                case HYBRID -> byMeaning || byWords || byBoth;
            };
        }

        /**
         * The question is about the knowledge when at least one candidate is relevant; then the best {@code limit}
         * candidates in fused order are the answer's passages (a passage just below the bar often holds the answer
         * next to one above it). Otherwise nothing: better no passage than a misleading one.
         */
        List<Passage> answerable(List<Passage> candidates, Mode mode, int limit) {
            if (candidates.stream().noneMatch(p -> relevant(p, mode))) {
                return List.of();
            }
            return List.copyOf(candidates.subList(0, Math.min(limit, candidates.size())));
        }
    }

    static final Gate GATE = new Gate(COSINE_ALONE, COVERAGE_ALONE, COSINE_WITH_WORDS, 0.20, 0.58, 0.20);

    /**
     * Question against question (an agent's FAQ) scores higher than question against passage: the furious customer of
     * issue 11 reaches 0.63 against "Qual é o horário de atendimento?" by vectors alone. So meaning alone must be very
     * close, and a moderate cosine needs a third of the words.
     */
    static final Gate QUESTION_GATE = new Gate(0.75, 0.5, 0.40, 0.34, 0.45, 0.20);

    /** The question's words as PostgreSQL stems them in each language chunks are stored in (see {@link WordIndex}). */
    private Map<String, List<String>> questionWords(String question) {
        return jdbc.sql("""
                        select tsvector_to_array(to_tsvector('portuguese', switchboard_search_text(:q))),
                               tsvector_to_array(to_tsvector('english', switchboard_search_text(:q))),
                               tsvector_to_array(to_tsvector('simple', switchboard_search_text(:q)))""")
                .param("q", question)
                .query((rs, n) -> Map.of(WordIndex.LANGUAGES.get(0), strings(rs.getArray(1)),
                        WordIndex.LANGUAGES.get(1), strings(rs.getArray(2)), WordIndex.LANGUAGES.get(2), strings(rs.getArray(3))))
                .single();
    }

    private static List<String> strings(java.sql.Array array) throws java.sql.SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    /** The candidates' text and source; a chunk deleted since the indexes were loaded is not among them. */
    private List<Passage> details(Collection<UUID> chunkIds) {
        return jdbc.sql("""
                        select c.id, d.id as document_id, d.title, c.section, c.content, d.kind = 'qa' as curated, d.language
                        from knowledge_chunks c join knowledge_documents d on d.id = c.document_id
                        where c.id = any(cast(:ids as uuid[]))""")
                .param("ids", chunkIds.toArray(UUID[]::new))
                .query((rs, n) -> new Passage(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getString(7), 0, 0, 0, 0))
                .list();
    }

    private static Integer[] order(int size, java.util.function.IntToDoubleFunction score) {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> score.applyAsDouble(i)).reversed());
        return order;
    }
}
