package io.switchboard.routing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.switchboard.refusal.InvalidInput;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a department picks who gets the next conversation (see {@link Distribution} for ties and edge cases). */
public enum AssignmentMethod {
    /** The member waiting longest since their last assignment. */
    ROUND_ROBIN,
    /** The member with the fewest open conversations relative to their capacity. */
    BY_LOAD,
    /** A member whose specialties match the conversation (funnel, stage, requested specialty), then by load. */
    BY_SPECIALTY,
    /** The member with the best score from resolution rate, SLA-met first responses and satisfaction. */
    BY_PERFORMANCE,
    /** Members receive shares proportional to their weights. */
    PERCENTAGE;

    @JsonValue
    public String db() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static AssignmentMethod parse(String value) {
        return Arrays.stream(values()).filter(m -> m.db().equals(value == null ? "" : value.strip().toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new InvalidInput("assignment_method must be one of "
                        + Arrays.stream(values()).map(AssignmentMethod::db).collect(Collectors.joining(", "))));
    }
}
