package io.switchboard.ai.offline;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.store.embedding.CosineSimilarity;
import io.switchboard.knowledge.KnowledgeSearch;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers from a FAQ when no LLM key is configured: the customer's text is compared by meaning
 * (in-process all-MiniLM-L6-v2 embeddings, cosine similarity) with each FAQ question, and the
 * closest entry is returned if it is at least {@link #threshold()} similar; otherwise empty, and
 * the caller hands over to a human rather than guessing.
 *
 * <p>Built with a {@link KnowledgeSearch} (as the application does), it matches by the knowledge base's hybrid
 * retrieval instead — meaning fused with PostgreSQL full text, and the same relevance rule — so a Portuguese question
 * matches by its words and not by this English-first model alone (issue 11: "Isso é um absurdo! Péssimo
 * atendimento…" scored 0.62 against the opening hours by vectors alone).
 *
 * <p>The model (~90 MB of ONNX) loads on first use, once per JVM, thread-safely; question
 * embeddings are cached by text. Thread-safe.
 */
public final class FaqResponder {

    /** A question customers ask and the answer to give. */
    public record FaqEntry(String question, String answer) {
        public FaqEntry {
            Objects.requireNonNull(question, "question");
            Objects.requireNonNull(answer, "answer");
        }
    }

    /** The entry that answers the customer and how close its question was (cosine, −1…1). */
    public record FaqMatch(FaqEntry entry, double similarity) {}

    /**
     * Measured (see {@code FaqResponderTest}): English paraphrases score 0.68–0.92 and unrelated
     * English ≤ 0.26, but this English-only model puts any two Portuguese sentences at 0.40–0.55
     * (unrelated "qual a capital da França?" reached 0.55) while Portuguese paraphrases reached
     * 0.63–0.69. 0.60 sits above that Portuguese floor: a wrong answer is worse than a handoff.
     */
    public static final double DEFAULT_THRESHOLD = 0.60;

    // Bounded so FAQs edited over months do not keep every old wording alive.
    private static final int MAX_CACHED_QUESTIONS = 10_000;

    private final double threshold;
    private final KnowledgeSearch knowledge;
    private final Map<String, Embedding> questionEmbeddings = new ConcurrentHashMap<>();

    public FaqResponder() {
        this(DEFAULT_THRESHOLD);
    }

    public FaqResponder(double threshold) {
        this.threshold = threshold;
        this.knowledge = null;
    }

    /** Matches by the knowledge base's hybrid retrieval (needs the database). */
    public FaqResponder(KnowledgeSearch knowledge) {
        this.threshold = DEFAULT_THRESHOLD;
        this.knowledge = knowledge;
    }

    public double threshold() {
        return threshold;
    }

    /** The FAQ entry whose question best matches {@code customerText}, if it is close enough. */
    public Optional<FaqMatch> answer(String customerText, List<FaqEntry> faq) {
        if (customerText == null || customerText.isBlank() || faq.isEmpty()) {
            return Optional.empty();
        }
        if (knowledge != null) {
            return knowledge.bestAmong(customerText, faq.stream().map(FaqEntry::question).toList())
                    .map(i -> new FaqMatch(faq.get(i), knowledge.similarity(customerText, faq.get(i).question())));
        }
        Embedding customer = embed(customerText);
        FaqMatch best = null;
        for (FaqEntry entry : faq) {
            double similarity = CosineSimilarity.between(customer, questionEmbedding(entry.question()));
            if (best == null || similarity > best.similarity()) {
                best = new FaqMatch(entry, similarity);
            }
        }
        return best.similarity() >= threshold ? Optional.of(best) : Optional.empty();
    }

    /** Cosine similarity of two texts, as {@link #answer} measures it. */
    public double similarity(String first, String second) {
        return CosineSimilarity.between(embed(first), embed(second));
    }

    private Embedding questionEmbedding(String question) {
        if (questionEmbeddings.size() > MAX_CACHED_QUESTIONS) {
            questionEmbeddings.clear();
        }
        return questionEmbeddings.computeIfAbsent(question, FaqResponder::embed);
    }

    private static Embedding embed(String text) {
        return SharedModel.INSTANCE.embed(text.strip()).content();
    }

    /** Class initialization is lazy and runs once, under the JVM's lock: the model loads on first use only. */
    private static final class SharedModel {
        static final EmbeddingModel INSTANCE = new AllMiniLmL6V2EmbeddingModel();
    }
}
