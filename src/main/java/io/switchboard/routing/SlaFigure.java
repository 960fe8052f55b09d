package io.switchboard.routing;

import java.util.UUID;

/**
 * SLA results of one department and person (null person: conversations nobody was assigned) over a period:
 * how many first responses and resolutions met or breached their targets. Still-running clocks count in neither.
 */
public record SlaFigure(UUID departmentId, String departmentName, UUID userId, String userName,
                        long firstResponseMet, long firstResponseBreached, long resolutionMet, long resolutionBreached) {
}
