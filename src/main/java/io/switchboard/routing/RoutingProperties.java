package io.switchboard.routing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Distribution settings. {@code offlineAfter}: a person whose every live inbox has been gone this long goes
 * offline. {@code sweepInterval}: how often each node looks for queues that can move and people gone away
 * (assignment itself is immediate; the sweep catches what a crash or a lost signal left).
 */
@ConfigurationProperties("switchboard.routing")
record RoutingProperties(Duration offlineAfter, Duration sweepInterval) {

    RoutingProperties {
        offlineAfter = offlineAfter == null ? Duration.ofMinutes(2) : offlineAfter;
        sweepInterval = sweepInterval == null ? Duration.ofSeconds(5) : sweepInterval;
    }
}
