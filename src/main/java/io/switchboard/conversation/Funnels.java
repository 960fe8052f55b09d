package io.switchboard.conversation;

import io.switchboard.database.TenantScope;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The organization's sales funnels and their stages, which conversations move through (new conversations start
 * in the default funnel's first stage; a stage may mark the human handoff).
 */
@Component
public class Funnels {

    private final JdbcClient jdbc;

    Funnels(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Creates the organization's default funnel with its stages in order; the stage at
     * {@code humanHandoffPosition} (or none, when negative) is where a person takes the lead over.
     *
     * @return the funnel's id
     */
    @Transactional
    public UUID createDefault(String name, List<String> stageNames, int humanHandoffPosition) {
        UUID organizationId = TenantScope.requireOrganization();
        UUID funnel = jdbc.sql("insert into funnels (organization_id, name, is_default) values (?, ?, true) returning id")
                .params(organizationId, name).query(UUID.class).single();
        for (int i = 0; i < stageNames.size(); i++) {
            jdbc.sql("insert into funnel_stages (organization_id, funnel_id, name, position, is_human_handoff) values (?, ?, ?, ?, ?)")
                    .params(organizationId, funnel, stageNames.get(i), i, i == humanHandoffPosition).update();
        }
        return funnel;
    }
}
