package io.switchboard.routing;

import io.switchboard.database.TenantScope;
import io.switchboard.identity.Presence;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * On every node, every few seconds: people whose live inbox is gone go offline, and every queue with someone
 * waiting gets a drain — what an immediate trigger lost (a node died after its commit) moves here.
 */
@Component
class QueueSweep {

    private static final Logger log = LoggerFactory.getLogger(QueueSweep.class);

    private final JdbcClient jdbc;
    private final Presence presence;
    private final QueueKicks kicks;
    private final RoutingProperties properties;

    QueueSweep(JdbcClient jdbc, Presence presence, QueueKicks kicks, RoutingProperties properties) {
        this.jdbc = jdbc;
        this.presence = presence;
        this.kicks = kicks;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${switchboard.routing.sweep-interval:5s}", initialDelayString = "${switchboard.routing.sweep-interval:5s}")
    void sweep() {
        try {
            presence.markGoneOffline(properties.offlineAfter());
            List<QueueKicks.Queue> waiting = TenantScope.asSystem(() -> jdbc.sql(
                            "select distinct organization_id, department_id from routing_queue")
                    .query((rs, n) -> new QueueKicks.Queue(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class))).list());
            waiting.forEach(queue -> kicks.request(queue.organizationId(), queue.departmentId()));
        } catch (RuntimeException e) {
            log.warn("The routing sweep failed; the next one retries: {}", e.toString());
        }
    }
}
