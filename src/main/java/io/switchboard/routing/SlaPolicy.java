package io.switchboard.routing;

import java.util.UUID;

/**
 * How fast a department answers: first response and resolution targets, for one priority or (null) for every
 * priority without its own policy. A department without a policy gets the defaults of 5 min and 24 h.
 */
public record SlaPolicy(UUID id, UUID departmentId, String priority, int firstResponseSeconds, int resolutionSeconds,
                        boolean redistributeOnBreach) {

    public static final int DEFAULT_FIRST_RESPONSE_SECONDS = 300;
    public static final int DEFAULT_RESOLUTION_SECONDS = 86_400;

    static SlaPolicy defaults(UUID departmentId) {
        return new SlaPolicy(null, departmentId, null, DEFAULT_FIRST_RESPONSE_SECONDS, DEFAULT_RESOLUTION_SECONDS, false);
    }
}
