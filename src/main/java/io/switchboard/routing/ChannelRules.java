package io.switchboard.routing;

import io.switchboard.database.TenantScope;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Which department each channel account's new conversations go to, and how ({@link ChannelRule}). */
@Service
public class ChannelRules {

    private static final String COLUMNS = "channel_account_id, department_id, auto_assign, assign_to_ai_agent";

    private final JdbcClient jdbc;
    private final Departments departments;

    ChannelRules(JdbcClient jdbc, Departments departments) {
        this.jdbc = jdbc;
        this.departments = departments;
    }

    public List<ChannelRule> list() {
        return jdbc.sql("select " + COLUMNS + " from routing_channel_rules where organization_id = ? order by channel_account_id")
                .param(TenantScope.requireOrganization()).query(ChannelRules::rule).list();
    }

    public Optional<ChannelRule> find(UUID channelAccountId) {
        return jdbc.sql("select " + COLUMNS + " from routing_channel_rules where channel_account_id = ? and organization_id = ?")
                .params(channelAccountId, TenantScope.requireOrganization()).query(ChannelRules::rule).optional();
    }

    /** Sets the account's rule (replacing the one it had). */
    @Transactional
    public ChannelRule put(ChannelRule rule) {
        UUID organizationId = TenantScope.requireOrganization();
        if (rule.channelAccountId() == null || rule.departmentId() == null) {
            throw new InvalidInput("channel_account_id and department_id are required");
        }
        // foreign keys do not see tenants: the account must be one of this organization's
        boolean known = jdbc.sql("select count(*) from channel_accounts where id = ? and organization_id = ?")
                .params(rule.channelAccountId(), organizationId).query(Integer.class).single() > 0;
        if (!known) {
            throw new NotFound("channel account " + rule.channelAccountId() + " not found");
        }
        departments.get(rule.departmentId());
        return jdbc.sql("""
                        insert into routing_channel_rules (channel_account_id, organization_id, department_id, auto_assign, assign_to_ai_agent)
                        values (?, ?, ?, ?, ?)
                        on conflict (channel_account_id) do update set department_id = excluded.department_id,
                            auto_assign = excluded.auto_assign, assign_to_ai_agent = excluded.assign_to_ai_agent, updated_at = now()
                        returning """ + " " + COLUMNS)
                .params(rule.channelAccountId(), organizationId, rule.departmentId(), rule.autoAssign(), rule.assignToAiAgent())
                .query(ChannelRules::rule).single();
    }

    @Transactional
    public void delete(UUID channelAccountId) {
        if (jdbc.sql("delete from routing_channel_rules where channel_account_id = ? and organization_id = ?")
                .params(channelAccountId, TenantScope.requireOrganization()).update() == 0) {
            throw new NotFound("channel account " + channelAccountId + " has no routing rule");
        }
    }

    private static ChannelRule rule(ResultSet rs, int n) throws SQLException {
        return new ChannelRule(rs.getObject("channel_account_id", UUID.class), rs.getObject("department_id", UUID.class),
                rs.getBoolean("auto_assign"), rs.getBoolean("assign_to_ai_agent"));
    }
}
