package io.switchboard.routing;

import io.switchboard.database.TenantScope;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * SLA policies, the clocks they start, and the figures analytics reads: met and breached targets per department
 * and person over a period ({@link #figures}).
 */
@Service
public class SlaPolicies {

    private static final Set<String> PRIORITIES = Set.of("low", "normal", "high", "urgent");
    private static final String COLUMNS = "id, department_id, priority, first_response_seconds, resolution_seconds, redistribute_on_breach";

    private final JdbcClient jdbc;
    private final Departments departments;
    private final SlaClock clock;

    SlaPolicies(JdbcClient jdbc, Departments departments, SlaClock clock) {
        this.jdbc = jdbc;
        this.departments = departments;
        this.clock = clock;
    }

    public List<SlaPolicy> list(UUID departmentId) {
        departments.get(departmentId);
        return jdbc.sql("select " + COLUMNS + " from sla_policies where department_id = ? order by priority nulls first")
                .param(departmentId).query(SlaPolicies::policy).list();
    }

    /** Sets the department's policy for the priority (replacing the one there was); applies to clocks started from now. */
    @Transactional
    public SlaPolicy put(UUID departmentId, PolicyDraft draft) {
        Department department = departments.get(departmentId);
        String priority = draft.priority() == null || draft.priority().isBlank() ? null : draft.priority().strip().toLowerCase();
        if (priority != null && !PRIORITIES.contains(priority)) {
            throw new InvalidInput("priority must be one of low, normal, high, urgent (or null for every priority)");
        }
        int firstResponse = positive(draft.firstResponseSeconds(), SlaPolicy.DEFAULT_FIRST_RESPONSE_SECONDS, "first_response_seconds");
        int resolution = positive(draft.resolutionSeconds(), SlaPolicy.DEFAULT_RESOLUTION_SECONDS, "resolution_seconds");
        jdbc.sql("delete from sla_policies where department_id = ? and priority is not distinct from ?").params(departmentId, priority).update();
        return jdbc.sql("""
                        insert into sla_policies (organization_id, department_id, priority, first_response_seconds,
                               resolution_seconds, redistribute_on_breach) values (?, ?, ?, ?, ?, ?) returning """ + " " + COLUMNS)
                .params(department.organizationId(), departmentId, priority, firstResponse, resolution,
                        Boolean.TRUE.equals(draft.redistributeOnBreach()))
                .query(SlaPolicies::policy).single();
    }

    @Transactional
    public void delete(UUID departmentId, UUID policyId) {
        departments.get(departmentId);
        if (jdbc.sql("delete from sla_policies where id = ? and department_id = ?").params(policyId, departmentId).update() == 0) {
            throw new NotFound("SLA policy " + policyId + " not found");
        }
    }

    /** The SLA clocks of these conversations (those handed to a department), for badges and timers. */
    public List<SlaTimer> timers(Collection<UUID> conversationIds) {
        return clock.timers(conversationIds);
    }

    /**
     * Met and breached targets per department and person, for clocks started in from {@code from} (inclusive) to {@code to} (exclusive) in the current
     * tenant. The query API the analytics module reads.
     */
    public List<SlaFigure> figures(Instant from, Instant to) {
        if (from == null || to == null || !from.isBefore(to)) {
            throw new InvalidInput("from must be before to");
        }
        return jdbc.sql("""
                        select t.department_id, d.name as department_name, t.user_id, u.name as user_name,
                               count(*) filter (where t.first_response_at is not null and t.first_response_breached_at is null) as fr_met,
                               count(*) filter (where t.first_response_breached_at is not null) as fr_breached,
                               count(*) filter (where t.resolved_at is not null and t.resolution_breached_at is null) as res_met,
                               count(*) filter (where t.resolution_breached_at is not null) as res_breached
                        from sla_timers t left join departments d on d.id = t.department_id left join users u on u.id = t.user_id
                        where t.organization_id = ? and t.started_at >= ? and t.started_at < ?
                        group by t.department_id, d.name, t.user_id, u.name order by d.name, u.name""")
                .params(TenantScope.requireOrganization(), java.sql.Timestamp.from(from), java.sql.Timestamp.from(to))
                .query((rs, n) -> new SlaFigure(rs.getObject("department_id", UUID.class), rs.getString("department_name"),
                        rs.getObject("user_id", UUID.class), rs.getString("user_name"), rs.getLong("fr_met"),
                        rs.getLong("fr_breached"), rs.getLong("res_met"), rs.getLong("res_breached"))).list();
    }

    private static int positive(Integer value, int fallback, String field) {
        if (value == null) {
            return fallback;
        }
        if (value <= 0) {
            throw new InvalidInput(field + " must be more than 0");
        }
        return value;
    }

    static SlaPolicy policy(ResultSet rs, int n) throws SQLException {
        return new SlaPolicy(rs.getObject("id", UUID.class), rs.getObject("department_id", UUID.class),
                rs.getString("priority"), rs.getInt("first_response_seconds"), rs.getInt("resolution_seconds"),
                rs.getBoolean("redistribute_on_breach"));
    }
}
