package io.switchboard.channel;

import io.switchboard.outbound.OutboundGuard;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import io.switchboard.conversation.QueueTab;
import io.switchboard.database.ClusterSignal;
import io.switchboard.database.ClusterSignals;
import io.switchboard.database.OrganizationCache;
import io.switchboard.database.TenantScope;
import io.switchboard.identity.SecretBox;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Channel accounts of the current organization. Secret settings are split from the rest on the way in,
 * encrypted, and never come back out through the API.
 */
@Service
public class ChannelAccounts {

    private static final String COLUMNS = """
            id, organization_id, type, name, config::text as config, secrets, default_ai_agent_id, queue_tab,
            reopen_closed, inactivity_close_minutes, enabled, created_at""";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final SecretBox secretBox;
    private final JsonMapper json;

    /** Config keys holding a URL we call: each must pass the outbound guard. */
    private static final List<String> CALLED_URLS = List.of("outbound_webhook_url", "base_url");

    private final OutboundGuard guard;

    // Every webhook and every delivery reads its account's secrets; an encrypted text never changes its
    // plaintext (each encryption has a fresh IV), so its decryption is kept, not repeated. Bounded by clearing.
    private static final int DECRYPTED_KEPT = 10_000;
    private final Map<String, Map<String, String>> decrypted = new java.util.concurrent.ConcurrentHashMap<>();

    /** An account as read, with its encrypted secrets. */
    private record Stored(ChannelAccount account, String secrets) {
    }

    // every webhook and every delivery reads its account (before the tenant is known, for a webhook): kept on each
    // node until a change here, which every node hears
    private final OrganizationCache<UUID, Stored> kept;

    ChannelAccounts(JdbcClient jdbc, SecretBox secretBox, JsonMapper json, OutboundGuard guard, ClusterSignals signals) {
        this.kept = new OrganizationCache<>(signals, "channel_accounts_changed");
        this.jdbc = jdbc;
        this.secretBox = secretBox;
        this.json = json;
        this.guard = guard;
    }

    /** What to create or change; null fields keep their value on update. */
    public record Draft(ChannelType type, String name, Map<String, Object> config, UUID defaultAiAgentId,
                        QueueTab queueTab, Boolean reopenClosed, Integer inactivityCloseMinutes, Boolean enabled) {
    }

    @Transactional
    public ChannelAccount create(Draft draft) {
        if (draft.type() == null || draft.name() == null || draft.name().isBlank()) {
            throw new InvalidInput("type and name are required");
        }
        Map<String, Object> config = draft.config() == null ? Map.of() : draft.config();
        Split split = split(draft.type(), config);
        requireComplete(draft.type(), split.plain(), split.secrets());
        requireCallableUrls(split.plain());
        requireAgentOfThisOrganization(draft.defaultAiAgentId());
        UUID id = jdbc.sql("""
                        insert into channel_accounts (organization_id, type, name, config, secrets, default_ai_agent_id,
                                                      queue_tab, reopen_closed, inactivity_close_minutes, enabled)
                        values (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?) returning id""")
                .params(TenantScope.requireOrganization(), draft.type().code(), draft.name().trim(),
                        json.writeValueAsString(split.plain()), encrypt(split.secrets()), draft.defaultAiAgentId(),
                        (draft.queueTab() != null ? draft.queueTab() : QueueTab.defaultForChannelType(draft.type().code())).name(),
                        draft.reopenClosed() == null || draft.reopenClosed(), draft.inactivityCloseMinutes(),
                        draft.enabled() == null || draft.enabled())
                .query(UUID.class).single();
        kept.changed(TenantScope.requireOrganization());
        return find(id);
    }

    /** Changes an account; config keys given replace the old ones, secrets given replace old secrets. */
    @Transactional
    public ChannelAccount update(UUID id, Draft draft) {
        ChannelAccount current = find(id);
        Map<String, Object> plain = new LinkedHashMap<>(current.config());
        Map<String, String> secrets = new HashMap<>(secrets(current));
        if (draft.config() != null) {
            Split split = split(current.type(), draft.config());
            plain.putAll(split.plain());
            secrets.putAll(split.secrets());
        }
        requireComplete(current.type(), plain, secrets);
        requireCallableUrls(plain);
        requireAgentOfThisOrganization(draft.defaultAiAgentId());
        jdbc.sql("""
                update channel_accounts set name = coalesce(?, name), config = ?::jsonb, secrets = ?,
                       default_ai_agent_id = coalesce(?, default_ai_agent_id), queue_tab = coalesce(?, queue_tab),
                       reopen_closed = coalesce(?, reopen_closed),
                       inactivity_close_minutes = coalesce(?, inactivity_close_minutes),
                       enabled = coalesce(?, enabled), updated_at = now()
                where id = ?""")
                .params(draft.name(), json.writeValueAsString(plain), encrypt(secrets), draft.defaultAiAgentId(),
                        draft.queueTab() == null ? null : draft.queueTab().name(), draft.reopenClosed(),
                        draft.inactivityCloseMinutes(), draft.enabled(), id)
                .update();
        kept.changed(current.organizationId());
        return find(id);
    }

    @Transactional
    public void delete(UUID id) {
        find(id);
        jdbc.sql("delete from channel_accounts where id = ?").param(id).update();
        kept.changed(TenantScope.requireOrganization());
    }

    @EventListener
    void on(ClusterSignal signal) {
        kept.on(signal);
    }

    public ChannelAccount find(UUID id) {
        return findOptional(id).orElseThrow(() -> new NotFound("channel account " + id + " not found"));
    }

    public Optional<ChannelAccount> findOptional(UUID id) {
        return stored(id).map(Stored::account);
    }

    private Optional<Stored> stored(UUID id) {
        boolean system = TenantScope.isSystem();
        Optional<UUID> tenant = TenantScope.currentOrganization();
        if (!system && tenant.isEmpty()) {
            return read(id); // no scope at all: row-level security answers (nothing)
        }
        return kept.getAcrossOrganizations(id, () -> read(id), found -> found.account().organizationId())
                // as row-level security would: a tenant sees only its own accounts
                .filter(found -> system || found.account().organizationId().equals(tenant.get()));
    }

    private Optional<Stored> read(UUID id) {
        RowMapper<ChannelAccount> account = rows();
        return jdbc.sql("select " + COLUMNS + " from channel_accounts where id = ?").param(id)
                .query((rs, n) -> new Stored(account.mapRow(rs, n), rs.getString("secrets"))).optional();
    }

    public List<ChannelAccount> list() {
        return jdbc.sql("select " + COLUMNS + " from channel_accounts where organization_id = ? order by created_at")
                .param(TenantScope.requireOrganization()).query(rows()).list();
    }

    /**
     * The account a webhook names, looked up before any tenant is known (the path carries only the account
     * id). The caller then works in the account's organization.
     */
    public Optional<ChannelAccount> findForWebhook(UUID id) {
        return TenantScope.asSystem(() -> findOptional(id));
    }

    /** The account's decrypted secrets, for verifying webhooks and sending. */
    public Map<String, String> secrets(ChannelAccount account) {
        String stored = TenantScope.call(account.organizationId(), () -> stored(account.id()).map(Stored::secrets).orElse(null));
        if (stored == null) {
            return Map.of();
        }
        return decrypted(stored);
    }

    private Map<String, String> decrypted(String stored) {
        Map<String, String> known = decrypted.get(stored);
        if (known != null) {
            return known;
        }
        if (decrypted.size() >= DECRYPTED_KEPT) {
            decrypted.clear();
        }
        Map<String, String> plain = Map.copyOf(json.readValue(secretBox.decrypt(stored), new TypeReference<Map<String, String>>() {
        }));
        decrypted.put(stored, plain);
        return plain;
    }

    private record Split(Map<String, Object> plain, Map<String, String> secrets) {
    }

    private static Split split(ChannelType type, Map<String, Object> config) {
        Map<String, Object> plain = new LinkedHashMap<>();
        Map<String, String> secrets = new HashMap<>();
        config.forEach((key, value) -> {
            if (type.secretKeys().contains(key)) {
                if (value != null && !value.toString().isBlank()) {
                    secrets.put(key, value.toString());
                }
            } else {
                plain.put(key, value);
            }
        });
        return new Split(plain, secrets);
    }

    private static void requireComplete(ChannelType type, Map<String, Object> plain, Map<String, String> secrets) {
        Set<String> missing = new TreeSet<>();
        type.requiredConfig().stream().filter(k -> plain.get(k) == null || plain.get(k).toString().isBlank()).forEach(missing::add);
        type.requiredSecrets().stream().filter(k -> !secrets.containsKey(k)).forEach(missing::add);
        if (!missing.isEmpty()) {
            throw new InvalidInput(
                    "config of a " + type.code() + " account lacks " + String.join(", ", missing));
        }
        // Telegram sends the secret back in a header and refuses any other characters in setWebhook
        if (type == ChannelType.TELEGRAM && !secrets.get("webhook_secret").matches("[A-Za-z0-9_-]{1,256}")) {
            throw new InvalidInput("config.webhook_secret of a telegram account may hold only letters, digits, _ and - (up to 256)");
        }
    }

    private void requireCallableUrls(Map<String, Object> plain) {
        for (String key : CALLED_URLS) {
            Object url = plain.get(key);
            if (url != null && !url.toString().isBlank()) {
                guard.requireAllowed("config." + key, url.toString());
            }
        }
    }

    private void requireAgentOfThisOrganization(UUID aiAgentId) {
        if (aiAgentId != null && jdbc.sql("select count(*) from ai_agents where id = ?").param(aiAgentId).query(Integer.class).single() == 0) {
            throw new InvalidInput("default_ai_agent_id " + aiAgentId + " is not an AI agent of this organization");
        }
    }

    private String encrypt(Map<String, String> secrets) {
        return secrets.isEmpty() ? null : secretBox.encrypt(json.writeValueAsString(secrets));
    }

    private RowMapper<ChannelAccount> rows() {
        return (rs, n) -> {
            Map<String, Object> config = json.readValue(rs.getString("config"), MAP);
            String secrets = rs.getString("secrets");
            Set<String> secretNames = secrets == null ? Set.of()
                    : decrypted(secrets).keySet();
            return new ChannelAccount(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                    ChannelType.fromCode(rs.getString("type")), rs.getString("name"), config, new TreeSet<>(secretNames),
                    rs.getObject("default_ai_agent_id", UUID.class), QueueTab.valueOf(rs.getString("queue_tab")),
                    rs.getBoolean("reopen_closed"), (Integer) rs.getObject("inactivity_close_minutes"),
                    rs.getBoolean("enabled"), rs.getTimestamp("created_at").toInstant());
        };
    }
}
