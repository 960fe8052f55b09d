package io.switchboard.automation;

import io.switchboard.database.TenantScope;
import io.switchboard.knowledge.KnowledgeSearch;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.NotFound;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Intents (table {@code automation_intents}) and their matching: keywords and regular expressions first (certain,
 * no model), then example phrases through the knowledge module's hybrid matching (in-process embeddings and
 * Portuguese/English full text), accepted at the intent's threshold of similarity.
 */
@Service
public class Intents {

    /** A recognised intent: how (keyword, pattern or example) and with what confidence. */
    public record Match(Intent intent, String how, double confidence) {
    }

    private static final String COLUMNS = "id, name, keywords, patterns, examples, threshold, actions::text as actions, enabled";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final KnowledgeSearch knowledge;

    Intents(JdbcClient jdbc, JsonMapper json, KnowledgeSearch knowledge) {
        this.jdbc = jdbc;
        this.json = json;
        this.knowledge = knowledge;
    }

    public List<Intent> list() {
        return jdbc.sql("select " + COLUMNS + " from automation_intents order by name").query(this::row).list();
    }

    public Intent get(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from automation_intents where id = ?").param(id).query(this::row).optional()
                .orElseThrow(() -> new NotFound("no intent " + id));
    }

    public Intent create(IntentDraft draft) {
        Intent intent = draft.over(null);
        try {
            UUID id = jdbc.sql("""
                            insert into automation_intents (organization_id, name, keywords, patterns, examples, threshold, actions, enabled)
                            values (?, ?, ?, ?, ?, ?, ?::jsonb, ?) returning id""")
                    .params(TenantScope.requireOrganization(), intent.name(), array(intent.keywords()), array(intent.patterns()),
                            array(intent.examples()), intent.threshold(), json.writeValueAsString(intent.actions()), intent.enabled())
                    .query(UUID.class).single();
            return get(id);
        } catch (DuplicateKeyException e) {
            throw new Conflict("an intent named '" + intent.name() + "' already exists");
        }
    }

    public Intent update(UUID id, IntentDraft draft) {
        Intent intent = draft.over(get(id));
        jdbc.sql("""
                        update automation_intents set name = ?, keywords = ?, patterns = ?, examples = ?, threshold = ?,
                               actions = ?::jsonb, enabled = ? where id = ?""")
                .params(intent.name(), array(intent.keywords()), array(intent.patterns()), array(intent.examples()),
                        intent.threshold(), json.writeValueAsString(intent.actions()), intent.enabled(), id)
                .update();
        return get(id);
    }

    public void delete(UUID id) {
        if (jdbc.sql("delete from automation_intents where id = ?").param(id).update() == 0) {
            throw new NotFound("no intent " + id);
        }
    }

    /** The intent the text expresses, if any enabled intent recognises it. */
    public Optional<Match> match(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        List<Intent> intents = jdbc.sql("select " + COLUMNS + " from automation_intents where enabled order by created_at")
                .query(this::row).list();
        String folded = RuleCondition.fold(text);
        for (Intent intent : intents) {
            for (String keyword : intent.keywords()) {
                if (Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(RuleCondition.fold(keyword)) + "(?![\\p{L}\\p{N}])")
                        .matcher(folded).find()) {
                    return Optional.of(new Match(intent, "keyword: " + keyword, 1.0));
                }
            }
            for (String pattern : intent.patterns()) {
                if (Pattern.compile(pattern, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(text).find()) {
                    return Optional.of(new Match(intent, "pattern: " + pattern, 1.0));
                }
            }
        }
        List<String> examples = new ArrayList<>();
        List<Intent> owners = new ArrayList<>();
        intents.forEach(intent -> intent.examples().forEach(example -> {
            examples.add(example);
            owners.add(intent);
        }));
        if (examples.isEmpty()) {
            return Optional.empty();
        }
        return knowledge.bestAmong(text, examples).flatMap(best -> {
            double similarity = knowledge.similarity(text, examples.get(best));
            Intent owner = owners.get(best);
            return similarity >= owner.threshold()
                    ? Optional.of(new Match(owner, "example: " + examples.get(best), similarity)) : Optional.empty();
        });
    }

    private static String[] array(List<String> values) {
        return values.toArray(String[]::new);
    }

    private static List<String> list(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private Intent row(ResultSet rs, int n) throws SQLException {
        return new Intent(rs.getObject("id", UUID.class), rs.getString("name"), list(rs.getArray("keywords")),
                list(rs.getArray("patterns")), list(rs.getArray("examples")), rs.getDouble("threshold"),
                json.readValue(rs.getString("actions"), AutomationRules.ACTIONS), rs.getBoolean("enabled"));
    }
}
