package io.switchboard.analytics;

import io.switchboard.database.TenantScope;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Customers' satisfaction per person, for other modules (the {@code by_performance} distribution method): the
 * average CSAT score of the surveys answered since a moment, in the current organization.
 */
@Service
public class CsatScores {

    private final JdbcClient jdbc;

    CsatScores(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A person's average score (two decimals) over {@code answers} answered surveys. */
    public record Average(BigDecimal score, long answers) {
    }

    /** People with at least one answered survey since {@code since}; people without one are absent. */
    public Map<UUID, Average> averagesByPerson(Instant since) {
        Map<UUID, Average> averages = new LinkedHashMap<>();
        jdbc.sql("""
                        select user_id, avg(score), count(*) from csat_surveys
                        where organization_id = ? and user_id is not null and score is not null and answered_at >= ?
                        group by user_id""")
                .params(TenantScope.requireOrganization(), Timestamp.from(since))
                .query((rs, n) -> averages.put(rs.getObject(1, UUID.class),
                        new Average(rs.getBigDecimal(2).setScale(2, RoundingMode.HALF_UP), rs.getLong(3))))
                .list();
        return averages;
    }
}
