package io.switchboard.automation;

import io.switchboard.database.ClusterSignal;
import io.switchboard.database.ClusterSignals;
import io.switchboard.database.OrganizationCache;
import io.switchboard.database.TenantScope;
import io.switchboard.refusal.NotFound;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** An organization's automation rules (table {@code automations}); works in the caller's tenant scope. */
@Service
public class AutomationRules {

    static final TypeReference<List<RuleAction>> ACTIONS = new TypeReference<>() {
    };

    private static final String COLUMNS = """
            id, name, description, trigger_type, (trigger_config ->> 'minutes')::int as minutes, conditions::text as conditions,
            actions::text as actions, enabled, position, created_at""";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    // which events have an enabled rule, per organization: asked on every message's path, changed rarely
    private final OrganizationCache<String, Set<String>> listened;

    AutomationRules(JdbcClient jdbc, JsonMapper json, ClusterSignals signals) {
        this.jdbc = jdbc;
        this.json = json;
        this.listened = new OrganizationCache<>(signals, "automations_changed");
    }

    public List<Rule> list() {
        return jdbc.sql("select " + COLUMNS + " from automations order by position, created_at").query(this::row).list();
    }

    /** The enabled rules of one event, in the order they run. */
    List<Rule> enabledFor(UUID organizationId, AutomationEvent event) {
        return jdbc.sql("select " + COLUMNS + " from automations where organization_id = ? and trigger_type = ? and enabled"
                        + " order by position, created_at")
                .params(organizationId, event.db()).query(this::row).list();
    }

    /** Whether any enabled rule listens to one of these events: the cheap check on every message's path. */
    boolean anyEnabled(UUID organizationId, List<AutomationEvent> events) {
        Set<String> enabled = listened.get(organizationId, "enabled", () -> Set.copyOf(
                jdbc.sql("select distinct trigger_type from automations where organization_id = ? and enabled")
                        .param(organizationId).query(String.class).list()));
        return events.stream().anyMatch(event -> enabled.contains(event.db()));
    }

    public Rule get(UUID id) {
        return find(id).orElseThrow(() -> new NotFound("no automation rule " + id));
    }

    Optional<Rule> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from automations where id = ?").param(id).query(this::row).optional();
    }

    @Transactional
    public Rule create(RuleDraft draft) {
        Rule rule = draft.over(null);
        UUID organizationId = TenantScope.requireOrganization();
        int position = rule.position() == Integer.MAX_VALUE
                ? jdbc.sql("select coalesce(max(position) + 1, 0) from automations where organization_id = ?")
                .param(organizationId).query(Integer.class).single()
                : rule.position();
        UUID id = jdbc.sql("""
                        insert into automations (organization_id, name, description, trigger_type, trigger_config, conditions,
                                                 actions, enabled, position)
                        values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?) returning id""")
                .params(organizationId, rule.name(), rule.description(), rule.event().db(), config(rule),
                        json.writeValueAsString(rule.conditions()), json.writeValueAsString(rule.actions()), rule.enabled(), position)
                .query(UUID.class).single();
        listened.changed(organizationId);
        return get(id);
    }

    @Transactional
    public Rule update(UUID id, RuleDraft draft) {
        Rule rule = draft.over(get(id));
        jdbc.sql("""
                        update automations set name = ?, description = ?, trigger_type = ?, trigger_config = ?::jsonb,
                               conditions = ?::jsonb, actions = ?::jsonb, enabled = ?, position = ?, updated_at = now()
                        where id = ?""")
                .params(rule.name(), rule.description(), rule.event().db(), config(rule), json.writeValueAsString(rule.conditions()),
                        json.writeValueAsString(rule.actions()), rule.enabled(), rule.position(), id)
                .update();
        listened.changed(TenantScope.requireOrganization());
        return get(id);
    }

    @Transactional
    public void delete(UUID id) {
        if (jdbc.sql("delete from automations where id = ?").param(id).update() == 0) {
            throw new NotFound("no automation rule " + id);
        }
        listened.changed(TenantScope.requireOrganization());
    }

    @EventListener
    void on(ClusterSignal signal) {
        listened.on(signal);
    }

    private String config(Rule rule) {
        return rule.minutes() == null ? "{}" : "{\"minutes\": " + rule.minutes() + "}";
    }

    private Rule row(ResultSet rs, int n) throws SQLException {
        Integer minutes = rs.getObject("minutes", Integer.class);
        return new Rule(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("description"),
                AutomationEvent.parse(rs.getString("trigger_type")), minutes,
                json.readValue(rs.getString("conditions"), RuleConditions.class),
                json.readValue(rs.getString("actions"), ACTIONS), rs.getBoolean("enabled"), rs.getInt("position"),
                rs.getTimestamp("created_at").toInstant());
    }
}
