package io.switchboard.integration;

import io.switchboard.database.TenantScope;
import io.switchboard.identity.SecretBox;
import io.switchboard.outbound.OutboundGuard;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The current organization's connections. Secrets are one encrypted JSON object per connection, written but
 * never read back through the API; a draft's null secret keeps the stored one and a blank one removes it.
 * URLs are checked by the outbound guard when saved.
 */
@Service
public class Integrations {

    private static final Pattern SECRET_NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final String COLUMNS = """
            id, kind, name, settings::text as settings, secrets, last_tested_at, last_test_ok, last_test_message,
            created_at, updated_at""";

    /** What to create or change; on update, null fields keep their value and settings given replace old ones. */
    public record Draft(IntegrationKind kind, String name, Map<String, Object> settings, Map<String, String> secrets) {
    }

    private final JdbcClient jdbc;
    private final SecretBox secretBox;
    private final JsonMapper json;
    private final OutboundGuard guard;
    private final IntegrationProperties properties;

    Integrations(JdbcClient jdbc, SecretBox secretBox, JsonMapper json, OutboundGuard guard, IntegrationProperties properties) {
        this.jdbc = jdbc;
        this.secretBox = secretBox;
        this.json = json;
        this.guard = guard;
        this.properties = properties;
    }

    public List<Integration> list() {
        return jdbc.sql("select " + COLUMNS + " from integrations where organization_id = ? order by name")
                .param(TenantScope.requireOrganization()).query(rows()).list();
    }

    public Integration find(UUID id) {
        return findOptional(id).orElseThrow(() -> new NotFound("integration " + id + " not found"));
    }

    public Optional<Integration> findOptional(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from integrations where id = ?").param(id).query(rows()).optional();
    }

    /** The organization's first connection of a kind (by name), for tools that are not told which one to use. */
    public Optional<Integration> firstOf(IntegrationKind kind) {
        return list().stream().filter(i -> i.kind() == kind).findFirst();
    }

    @Transactional
    public Integration create(Draft draft) {
        if (draft.kind() == null) {
            throw new InvalidInput("kind is required");
        }
        String name = requireName(draft.name());
        Map<String, Object> settings = settings(draft.kind(), draft.settings() == null ? Map.of() : draft.settings());
        Map<String, String> secrets = new TreeMap<>();
        mergeSecrets(draft.kind(), secrets, draft.secrets());
        requireComplete(draft.kind(), settings, secrets);
        try {
            UUID id = jdbc.sql("""
                            insert into integrations (organization_id, kind, name, settings, secrets)
                            values (?, ?, ?, ?::jsonb, ?) returning id""")
                    .params(TenantScope.requireOrganization(), draft.kind().code(), name, json.writeValueAsString(settings),
                            encrypt(secrets))
                    .query(UUID.class).single();
            return find(id);
        } catch (DuplicateKeyException e) {
            throw new Conflict("an integration named '" + name + "' already exists");
        }
    }

    @Transactional
    public Integration update(UUID id, Draft draft) {
        Integration current = find(id);
        if (draft.kind() != null && draft.kind() != current.kind()) {
            throw new InvalidInput("kind cannot change (it is " + current.kind().code() + "); create another integration");
        }
        String name = draft.name() == null ? current.name() : requireName(draft.name());
        Map<String, Object> settings = new LinkedHashMap<>(current.settings());
        if (draft.settings() != null) {
            settings.putAll(draft.settings());
            settings = settings(current.kind(), settings);
        }
        Map<String, String> secrets = new TreeMap<>(secretsOf(id));
        mergeSecrets(current.kind(), secrets, draft.secrets());
        requireComplete(current.kind(), settings, secrets);
        try {
            jdbc.sql("update integrations set name = ?, settings = ?::jsonb, secrets = ?, updated_at = now() where id = ?")
                    .params(name, json.writeValueAsString(settings), encrypt(secrets), id).update();
        } catch (DuplicateKeyException e) {
            throw new Conflict("an integration named '" + name + "' already exists");
        }
        return find(id);
    }

    @Transactional
    public void delete(UUID id) {
        find(id);
        jdbc.sql("delete from integrations where id = ?").param(id).update();
    }

    /** Keeps how the last Test connection went, for the admin page. */
    void recordTest(UUID id, ConnectionTest outcome) {
        jdbc.sql("update integrations set last_tested_at = now(), last_test_ok = ?, last_test_message = ? where id = ?")
                .params(outcome.ok(), outcome.message(), id).update();
    }

    /** The usable connection, with its secrets; a connection of another kind is refused for the caller. */
    Connection connection(UUID id, IntegrationKind expected) {
        Connection connection = connection(id);
        if (connection.kind() != expected) {
            throw new IntegrationCallFailed("the integration '" + connection.name() + "' is a " + connection.kind().code()
                    + " connection, not " + expected.code());
        }
        return connection;
    }

    Connection connection(UUID id) {
        Integration integration = findOptional(id)
                .orElseThrow(() -> new IntegrationCallFailed("the integration " + id + " no longer exists"));
        return new Connection(integration.id(), integration.kind(), integration.name(), integration.settings(), secretsOf(id));
    }

    private Map<String, String> secretsOf(UUID id) {
        String stored = jdbc.sql("select secrets from integrations where id = ?").param(id).query(String.class).optional().orElse(null);
        return stored == null ? Map.of() : json.readValue(secretBox.decrypt(stored), new TypeReference<Map<String, String>>() {
        });
    }

    private Map<String, Object> settings(IntegrationKind kind, Map<String, Object> given) {
        Map<String, Object> settings = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        given.forEach((key, value) -> {
            if (!kind.knownSettings().contains(key)) {
                unknown.add(key);
            } else if (value != null && !value.toString().isBlank()) {
                settings.put(key, value instanceof String s ? s.strip() : value);
            }
        });
        if (!unknown.isEmpty()) {
            throw new InvalidInput("settings of a " + kind.code() + " integration do not include " + unknown
                    + "; known: " + new TreeSet<>(kind.knownSettings()));
        }
        for (String key : kind.urlSettings()) {
            if (settings.containsKey(key)) {
                guard.requireAllowed("settings." + key, settings.get(key).toString());
            }
        }
        if (settings.containsKey("timeout_seconds")) {
            requireTimeout(settings.get("timeout_seconds"));
        }
        if (kind == IntegrationKind.DATABASE && settings.containsKey("jdbc_url")) {
            ExternalDatabase.requireAllowedUrl(settings.get("jdbc_url").toString(), guard);
        }
        if (kind == IntegrationKind.MCP) {
            McpServers.requireValidSettings(settings, properties.mcpStdioAllowed());
        }
        return settings;
    }

    private void mergeSecrets(IntegrationKind kind, Map<String, String> secrets, Map<String, String> given) {
        if (given == null) {
            return;
        }
        given.forEach((key, value) -> {
            if (!kind.freeSecretNames() && !kind.requiredSecrets().contains(key)) {
                throw new InvalidInput("secrets of a " + kind.code() + " integration are " + kind.requiredSecrets() + ", not '" + key + "'");
            }
            if (!SECRET_NAME.matcher(key).matches()) {
                throw new InvalidInput("secret name '" + key + "' must be lower case letters, digits and _ (e.g. api_key)");
            }
            if (value == null) {
                return;
            }
            if (value.isBlank()) {
                secrets.remove(key);
            } else {
                secrets.put(key, value.strip());
            }
        });
    }

    private static void requireComplete(IntegrationKind kind, Map<String, Object> settings, Map<String, String> secrets) {
        TreeSet<String> missing = new TreeSet<>();
        kind.requiredSettings().stream().filter(k -> !settings.containsKey(k)).forEach(k -> missing.add("settings." + k));
        kind.requiredSecrets().stream().filter(k -> !secrets.containsKey(k)).forEach(k -> missing.add("secrets." + k));
        if (!missing.isEmpty()) {
            throw new InvalidInput("a " + kind.code() + " integration needs " + String.join(", ", missing));
        }
    }

    private static void requireTimeout(Object value) {
        try {
            double seconds = Double.parseDouble(value.toString());
            if (seconds > 0 && seconds <= 60) {
                return;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new InvalidInput("settings.timeout_seconds must be a number of seconds between 0 and 60");
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidInput("name is required");
        }
        if (name.strip().length() > 80) {
            throw new InvalidInput("name must have at most 80 characters");
        }
        return name.strip();
    }

    private String encrypt(Map<String, String> secrets) {
        return secrets.isEmpty() ? null : secretBox.encrypt(json.writeValueAsString(secrets));
    }

    private RowMapper<Integration> rows() {
        return (ResultSet rs, int n) -> new Integration(rs.getObject("id", UUID.class), IntegrationKind.fromCode(rs.getString("kind")),
                rs.getString("name"), json.readValue(rs.getString("settings"), new TypeReference<LinkedHashMap<String, Object>>() {
                }), secretNames(rs), instant(rs, "last_tested_at"), (Boolean) rs.getObject("last_test_ok"),
                rs.getString("last_test_message"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private List<String> secretNames(ResultSet rs) throws SQLException {
        String stored = rs.getString("secrets");
        return stored == null ? List.of() : List.copyOf(new TreeSet<>(json.readValue(secretBox.decrypt(stored),
                new TypeReference<Map<String, String>>() {
                }).keySet()));
    }

    private static java.time.Instant instant(ResultSet rs, String column) throws SQLException {
        var timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
