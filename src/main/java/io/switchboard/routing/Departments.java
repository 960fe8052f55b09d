package io.switchboard.routing;

import io.switchboard.database.TenantScope;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The departments of the current tenant, their members and SLA policies. Changing a department's method or a
 * member's weight restarts the percentage count (its {@code updated_at} is where the count starts).
 */
@Service
public class Departments {

    private static final String COLUMNS = """
            id, organization_id, name, max_conversations, assignment_method, auto_assign, assign_to_ai_agent,
            sticky_window_minutes, is_default, specialties, business_hours::text as business_hours, created_at""";
    private static final String MEMBER_COLUMNS = """
            m.id, m.department_id, m.user_id, m.ai_agent_id, coalesce(u.name, a.name) as name, m.weight,
            m.max_conversations, m.specialties""";
    private static final int MAX_WEIGHT = 1000;

    private final JdbcClient jdbc;
    private final QueueKicks kicks;
    private final JsonMapper json;

    Departments(JdbcClient jdbc, QueueKicks kicks, JsonMapper json) {
        this.jdbc = jdbc;
        this.kicks = kicks;
        this.json = json;
    }

    public List<Department> list() {
        return jdbc.sql("select " + COLUMNS + " from departments where organization_id = ? order by name")
                .param(TenantScope.requireOrganization()).query(this::department).list();
    }

    public Department get(UUID id) {
        return find(id).orElseThrow(() -> new NotFound("department " + id + " not found"));
    }

    public Optional<Department> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from departments where id = ? and organization_id = ?")
                .params(id, TenantScope.requireOrganization()).query(this::department).optional();
    }

    /** Where handoffs that name no department go: the one marked default, or the only one there is. */
    public Optional<Department> defaultDepartment() {
        return defaultAmong(list());
    }

    /** The default of these departments (all of the organization's): the one marked so, or the only one. */
    static Optional<Department> defaultAmong(List<Department> all) {
        return all.stream().filter(Department::isDefault).findFirst().or(() -> all.size() == 1 ? Optional.of(all.get(0)) : Optional.empty());
    }

    @Transactional
    public Department create(DepartmentDraft draft) {
        UUID organizationId = TenantScope.requireOrganization();
        String name = name(draft.name());
        validate(draft);
        if (Boolean.TRUE.equals(draft.isDefault())) {
            clearDefault(organizationId);
        }
        try {
            return jdbc.sql("""
                            insert into departments (organization_id, name, max_conversations, assignment_method, auto_assign,
                                   assign_to_ai_agent, sticky_window_minutes, is_default, specialties, business_hours)
                            values (?, ?, ?, ?, coalesce(?, true), coalesce(?, false), nullif(coalesce(?, 10080), 0), coalesce(?, false), ?,
                                    ?::jsonb)
                            returning """ + " " + COLUMNS)
                    .params(organizationId, name, positiveOrNull(draft.maxConversations()),
                            (draft.assignmentMethod() == null ? AssignmentMethod.ROUND_ROBIN : draft.assignmentMethod()).db(),
                            draft.autoAssign(), draft.assignToAiAgent(), draft.stickyWindowMinutes(), draft.isDefault(),
                            labels(draft.specialties()), hours(draft.businessHours()))
                    .query(this::department).single();
        } catch (DuplicateKeyException e) {
            throw new Conflict("a department named '" + name + "' already exists");
        }
    }

    @Transactional
    public Department update(UUID id, DepartmentDraft draft) {
        Department current = get(id);
        validate(draft);
        if (Boolean.TRUE.equals(draft.isDefault())) {
            clearDefault(current.organizationId());
        }
        try {
            jdbc.sql("""
                            update departments set name = coalesce(?, name),
                                   max_conversations = case when ? then max_conversations else nullif(?, 0) end,
                                   assignment_method = coalesce(?, assignment_method), auto_assign = coalesce(?, auto_assign),
                                   assign_to_ai_agent = coalesce(?, assign_to_ai_agent),
                                   sticky_window_minutes = case when ? then sticky_window_minutes else nullif(?, 0) end,
                                   is_default = coalesce(?, is_default), specialties = coalesce(?, specialties),
                                   business_hours = case when ? then business_hours else ?::jsonb end,
                                   updated_at = case when ? then now() else updated_at end
                            where id = ? and organization_id = ?""")
                    .params(draft.name() == null ? null : name(draft.name()),
                            draft.maxConversations() == null, draft.maxConversations(),
                            draft.assignmentMethod() == null ? null : draft.assignmentMethod().db(), draft.autoAssign(),
                            draft.assignToAiAgent(), draft.stickyWindowMinutes() == null, draft.stickyWindowMinutes(),
                            draft.isDefault(), draft.specialties() == null ? null : labels(draft.specialties()),
                            draft.businessHours() == null, hours(draft.businessHours()),
                            draft.assignmentMethod() != null && draft.assignmentMethod() != current.assignmentMethod(),
                            id, current.organizationId())
                    .update();
        } catch (DuplicateKeyException e) {
            throw new Conflict("a department named '" + draft.name().strip() + "' already exists");
        }
        // more capacity, switching assignment on or opening hours may let waiting conversations through
        kicks.request(current.organizationId(), id);
        return get(id);
    }

    /** Deletes the department; its waiting conversations stay waiting, without a department. */
    @Transactional
    public void delete(UUID id) {
        if (jdbc.sql("delete from departments where id = ? and organization_id = ?")
                .params(id, TenantScope.requireOrganization()).update() == 0) {
            throw new NotFound("department " + id + " not found");
        }
    }

    public List<DepartmentMember> members(UUID departmentId) {
        get(departmentId);
        return jdbc.sql("select " + MEMBER_COLUMNS + """
                         from department_members m left join users u on u.id = m.user_id
                         left join ai_agents a on a.id = m.ai_agent_id
                        where m.department_id = ? order by name""")
                .param(departmentId).query(Departments::member).list();
    }

    @Transactional
    public DepartmentMember addMember(UUID departmentId, MemberDraft draft) {
        Department department = get(departmentId);
        if ((draft.userId() == null) == (draft.aiAgentId() == null)) {
            throw new InvalidInput("a member is either a person (user_id) or an AI agent (ai_agent_id), exactly one");
        }
        validateMember(draft);
        String table = draft.userId() != null ? "users" : "ai_agents";
        UUID memberId = draft.userId() != null ? draft.userId() : draft.aiAgentId();
        // foreign keys do not see tenants: the person or AI agent must be one of this organization's
        boolean known = jdbc.sql("select count(*) from " + table + " where id = ? and organization_id = ?")
                .params(memberId, department.organizationId()).query(Integer.class).single() > 0;
        if (!known) {
            throw new InvalidInput((draft.userId() != null ? "user " : "AI agent ") + memberId + " does not exist");
        }
        UUID id;
        try {
            id = jdbc.sql("""
                            insert into department_members (organization_id, department_id, user_id, ai_agent_id, weight,
                                   max_conversations, specialties) values (?, ?, ?, ?, coalesce(?, 1), ?, ?) returning id""")
                    .params(department.organizationId(), departmentId, draft.userId(), draft.aiAgentId(), draft.weight(),
                            positiveOrNull(draft.maxConversations()), labels(draft.specialties()))
                    .query(UUID.class).single();
        } catch (DuplicateKeyException e) {
            throw new Conflict("already a member of " + department.name());
        }
        weightsChanged(departmentId);
        kicks.request(department.organizationId(), departmentId);
        return member(departmentId, id);
    }

    @Transactional
    public DepartmentMember updateMember(UUID departmentId, UUID memberId, MemberDraft draft) {
        member(departmentId, memberId);
        validateMember(draft);
        jdbc.sql("""
                        update department_members set weight = coalesce(?, weight),
                               max_conversations = case when ? then max_conversations else nullif(?, 0) end,
                               specialties = coalesce(?, specialties)
                        where id = ? and department_id = ?""")
                .params(draft.weight(), draft.maxConversations() == null, draft.maxConversations(),
                        draft.specialties() == null ? null : labels(draft.specialties()), memberId, departmentId)
                .update();
        if (draft.weight() != null) {
            weightsChanged(departmentId);
        }
        kicks.request(TenantScope.requireOrganization(), departmentId);
        return member(departmentId, memberId);
    }

    @Transactional
    public void removeMember(UUID departmentId, UUID memberId) {
        member(departmentId, memberId);
        jdbc.sql("delete from department_members where id = ? and department_id = ?").params(memberId, departmentId).update();
        weightsChanged(departmentId);
    }

    public DepartmentMember member(UUID departmentId, UUID memberId) {
        return jdbc.sql("select " + MEMBER_COLUMNS + """
                         from department_members m left join users u on u.id = m.user_id
                         left join ai_agents a on a.id = m.ai_agent_id
                        where m.department_id = ? and m.id = ? and m.organization_id = ?""")
                .params(departmentId, memberId, TenantScope.requireOrganization()).query(Departments::member).optional()
                .orElseThrow(() -> new NotFound("member " + memberId + " not found in department " + departmentId));
    }

    /** The departments a person belongs to. */
    public List<UUID> departmentsOf(UUID userId) {
        return jdbc.sql("select department_id from department_members where user_id = ? and organization_id = ?")
                .params(userId, TenantScope.requireOrganization()).query(UUID.class).list();
    }

    private void weightsChanged(UUID departmentId) {
        jdbc.sql("update departments set updated_at = now() where id = ?").param(departmentId).update();
    }

    private void clearDefault(UUID organizationId) {
        jdbc.sql("update departments set is_default = false where organization_id = ? and is_default").param(organizationId).update();
    }

    private static void validate(DepartmentDraft draft) {
        if (draft.maxConversations() != null && draft.maxConversations() < 0) {
            throw new InvalidInput("max_conversations must be 0 (no bound) or more");
        }
        if (draft.stickyWindowMinutes() != null && draft.stickyWindowMinutes() < 0) {
            throw new InvalidInput("sticky_window_minutes must be 0 (off) or more");
        }
    }

    private static void validateMember(MemberDraft draft) {
        if (draft.weight() != null && (draft.weight() < 0 || draft.weight() > MAX_WEIGHT)) {
            throw new InvalidInput("weight must be between 0 and " + MAX_WEIGHT);
        }
        if (draft.maxConversations() != null && draft.maxConversations() < 0) {
            throw new InvalidInput("max_conversations must be 0 (no bound of its own) or more");
        }
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidInput("name is required");
        }
        if (name.strip().length() > 100) {
            throw new InvalidInput("name must have at most 100 characters");
        }
        return name.strip();
    }

    /** The hours as stored: checked, and null when they name no window (always open). */
    private String hours(BusinessHours hours) {
        return hours == null ? null : hours.validated().map(json::writeValueAsString).orElse(null);
    }

    private static Integer positiveOrNull(Integer value) {
        return value == null || value == 0 ? null : value;
    }

    private static String[] labels(List<String> values) {
        return values == null ? new String[0] : values.stream().filter(v -> v != null && !v.isBlank()).map(String::strip)
                .distinct().toArray(String[]::new);
    }

    static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private Department department(ResultSet rs, int n) throws SQLException {
        String hours = rs.getString("business_hours");
        return new Department(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getString("name"), (Integer) rs.getObject("max_conversations"),
                AssignmentMethod.parse(rs.getString("assignment_method")), rs.getBoolean("auto_assign"),
                rs.getBoolean("assign_to_ai_agent"), (Integer) rs.getObject("sticky_window_minutes"),
                rs.getBoolean("is_default"), strings(rs.getArray("specialties")),
                hours == null ? null : json.readValue(hours, BusinessHours.class), rs.getTimestamp("created_at").toInstant());
    }

    private static DepartmentMember member(ResultSet rs, int n) throws SQLException {
        return new DepartmentMember(rs.getObject("id", UUID.class), rs.getObject("department_id", UUID.class),
                rs.getObject("user_id", UUID.class), rs.getObject("ai_agent_id", UUID.class), rs.getString("name"),
                rs.getInt("weight"), (Integer) rs.getObject("max_conversations"), strings(rs.getArray("specialties")));
    }
}
