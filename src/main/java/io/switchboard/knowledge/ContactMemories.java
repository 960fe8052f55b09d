package io.switchboard.knowledge;

import io.switchboard.database.TenantScope;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the AI remembers about each contact ({@code agent_memories}): facts extracted from conversations, stored
 * with their source conversation and a vector of the in-process model, recalled into later conversations of the
 * same contact by closeness to what the customer writes now, and seen, corrected and deleted by people in the
 * contact panel. A contact belongs to one organization and every query runs under its tenant policy, so another
 * contact's or tenant's memories are never read.
 */
@Service
public class ContactMemories {

    /** Longest fact kept (a memory is a sentence, not a transcript). */
    public static final int MAX_FACT = 500;
    /** Most memories kept per contact: the oldest LLM facts go first beyond it. */
    static final int MAX_PER_CONTACT = 100;

    private final JdbcClient jdbc;
    private final TextEmbeddings embeddings;

    ContactMemories(JdbcClient jdbc, TextEmbeddings embeddings) {
        this.jdbc = jdbc;
        this.embeddings = embeddings;
    }

    /** The contact's memories, newest first. */
    @Transactional(readOnly = true)
    public List<Memory> of(UUID contactId) {
        return jdbc.sql("select " + COLUMNS + " from agent_memories where contact_id = ? order by created_at desc, id desc").param(contactId)
                .query(ContactMemories::memory).list();
    }

    /**
     * Stores the facts the LLM extracted from a conversation, skipping those the contact's memory already holds
     * (same words, case and accents aside). Returns the ones stored.
     */
    @Transactional
    public List<Memory> remember(UUID contactId, UUID aiAgentId, UUID conversationId, List<String> facts) {
        Set<String> known = new HashSet<>();
        of(contactId).forEach(m -> known.add(comparable(m.fact())));
        List<Memory> stored = new ArrayList<>();
        for (String fact : facts) {
            String clean = fact == null ? "" : fact.strip();
            if (clean.isEmpty() || clean.length() > MAX_FACT || !known.add(comparable(clean))) {
                continue;
            }
            stored.add(insert(contactId, aiAgentId, conversationId, clean, Memory.Source.LLM, null));
        }
        if (!stored.isEmpty()) {
            // keep the newest; a person's own notes are never dropped for room
            jdbc.sql("""
                    delete from agent_memories where id in (
                        select id from agent_memories where contact_id = ? and source = 'llm'
                        order by created_at desc, id desc offset ?)""").params(contactId, MAX_PER_CONTACT).update();
        }
        return stored;
    }

    /** A person writes a memory about the contact by hand. */
    @Transactional
    public Memory add(UUID contactId, String fact, UUID userId) {
        requireContact(contactId);
        return insert(contactId, null, null, cleanFact(fact), Memory.Source.PERSON, userId);
    }

    /** A person corrects a memory. */
    @Transactional
    public Memory edit(UUID contactId, UUID memoryId, String fact, UUID userId) {
        String clean = cleanFact(fact);
        float[] vector = embeddings.embed(clean);
        int updated = jdbc.sql("""
                update agent_memories set fact = ?, embedding = ?, embedding_model = ?, source = 'person', updated_by = ?,
                       updated_at = now()
                where id = ? and contact_id = ?""")
                .params(clean, vector, embeddings.model(), userId, memoryId, contactId).update();
        if (updated == 0) {
            throw new NotFound("memory " + memoryId + " of contact " + contactId + " not found");
        }
        return find(memoryId);
    }

    @Transactional
    public void forget(UUID contactId, UUID memoryId) {
        if (jdbc.sql("delete from agent_memories where id = ? and contact_id = ?").params(memoryId, contactId).update() == 0) {
            throw new NotFound("memory " + memoryId + " of contact " + contactId + " not found");
        }
    }

    /** A memory as read for recall: with its vector, to be ranked against what the customer writes now. */
    private record Stored(Memory memory, float[] vector, String model) {
    }

    /**
     * A contact's memories read for one turn (in the turn's reading transaction), ranked later by
     * {@link #recall(Recollection, String, int)} outside any transaction: ranking may ask an embeddings endpoint.
     */
    public static final class Recollection {
        /** For a conversation with no contact of its own (a rehearsal): nothing to recall. */
        public static final Recollection NONE = new Recollection(List.of());

        private final List<Stored> stored;

        private Recollection(List<Stored> stored) {
            this.stored = stored;
        }
    }

    /**
     * The contact's memories that may go into a conversation's context. Facts learnt in {@code conversationId}
     * itself are left out: that conversation's own messages already say them.
     */
    @Transactional(readOnly = true)
    public Recollection recallable(UUID contactId, UUID conversationId) {
        List<Stored> stored = new ArrayList<>();
        jdbc.sql("select " + COLUMNS + ", embedding, embedding_model from agent_memories where contact_id = ? "
                        + "and conversation_id is distinct from ? order by created_at desc, id desc limit ?")
                .params(contactId, conversationId, MAX_PER_CONTACT)
                .query(rs -> {
                    java.sql.Array array = rs.getArray("embedding");
                    stored.add(new Stored(memory(rs, 0), array == null ? null : floats(array), rs.getString("embedding_model")));
                });
        return new Recollection(List.copyOf(stored));
    }

    /** Up to {@code limit} of the recalled memories, the closest in meaning to {@code text} first (ties: newest first). */
    public List<Memory> recall(Recollection recollection, String text, int limit) {
        List<Stored> stored = recollection.stored;
        if (stored.size() <= limit) {
            // all of them fit: no need to embed the customer's words (most turns: a contact has few or no memories)
            return stored.stream().map(Stored::memory).toList();
        }
        float[] query = queryVector(text);
        String model = query == null ? null : embeddings.model();
        java.util.function.ToDoubleFunction<Stored> closeness = m -> {
            if (query == null || m.vector() == null || !model.equals(m.model())) {
                return 0;
            }
            double cosine = TextEmbeddings.dot(query, m.vector());
            return Double.isNaN(cosine) ? 0 : cosine;
        };
        // a stable sort: equally close (or unranked) memories stay newest first
        return stored.stream().sorted(Comparator.comparingDouble(closeness).reversed()).limit(limit).map(Stored::memory).toList();
    }

    private float[] queryVector(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return embeddings.embed(text);
        } catch (TextEmbeddings.EmbeddingUnavailable e) {
            return null; // newest first, then
        }
    }

    private Memory insert(UUID contactId, UUID aiAgentId, UUID conversationId, String fact, Memory.Source source, UUID userId) {
        // a fact is kept even when the organization's embeddings endpoint is down: re-embedding fills its vector later
        float[][] vector = {null};
        String[] model = {null};
        try {
            model[0] = embeddings.model();
            vector[0] = embeddings.embed(fact);
        } catch (TextEmbeddings.EmbeddingUnavailable e) {
            model[0] = null;
        }
        UUID id = jdbc.sql("""
                insert into agent_memories (organization_id, ai_agent_id, contact_id, conversation_id, fact, embedding,
                                            embedding_model, source, updated_by)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""")
                .params(TenantScope.requireOrganization(), aiAgentId, contactId, conversationId, fact, vector[0], model[0],
                        source.db(), userId)
                .query(UUID.class).single();
        return find(id);
    }

    private Memory find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from agent_memories where id = ?").param(id).query(ContactMemories::memory).single();
    }

    private void requireContact(UUID contactId) {
        if (jdbc.sql("select count(*) from contacts where id = ?").param(contactId).query(Integer.class).single() == 0) {
            throw new NotFound("contact " + contactId + " not found");
        }
    }

    private static String cleanFact(String fact) {
        String clean = fact == null ? "" : fact.strip();
        if (clean.isEmpty()) {
            throw new InvalidInput("fact is required: write what should be remembered about the contact");
        }
        if (clean.length() > MAX_FACT) {
            throw new InvalidInput("fact is longer than " + MAX_FACT + " characters");
        }
        return clean;
    }

    private static String comparable(String fact) {
        return java.text.Normalizer.normalize(fact, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    private static float[] floats(java.sql.Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = ((Number) values[i]).floatValue();
        }
        return out;
    }

    private static final String COLUMNS = "id, contact_id, ai_agent_id, conversation_id, fact, source, created_at, updated_at";

    private static Memory memory(ResultSet rs, int n) throws SQLException {
        return new Memory(rs.getObject("id", UUID.class), rs.getObject("contact_id", UUID.class), rs.getObject("ai_agent_id", UUID.class),
                rs.getObject("conversation_id", UUID.class), rs.getString("fact"), Memory.Source.of(rs.getString("source")),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
