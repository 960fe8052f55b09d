package io.switchboard.outbound;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code switchboard.outbound}.
 *
 * @param allowPrivateAddresses let tenant URLs reach loopback, private (RFC 1918, unique-local) and link-local
 *                              addresses; off by default — turn it on only for a single-tenant install whose
 *                              systems live on the private network (and for tests against local fakes)
 * @param maxResponseBytes      a response body larger than this is refused (default 1 MiB)
 * @param defaultTimeout        the deadline of a call that sets none (default 10 s)
 */
@ConfigurationProperties("switchboard.outbound")
public record OutboundProperties(boolean allowPrivateAddresses, Long maxResponseBytes, Duration defaultTimeout) {

    public OutboundProperties {
        maxResponseBytes = maxResponseBytes == null ? 1024 * 1024 : maxResponseBytes;
        defaultTimeout = defaultTimeout == null ? Duration.ofSeconds(10) : defaultTimeout;
    }

    /** The defaults: private addresses refused, 1 MiB, 10 s. */
    public static OutboundProperties defaults() {
        return new OutboundProperties(false, null, null);
    }
}
