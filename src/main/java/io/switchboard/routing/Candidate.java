package io.switchboard.routing;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A member who could take the next conversation — a person, or an AI agent ({@code aiAgent}, then {@code userId}
 * is the AI agent's id) — with what each method looks at: open conversations and capacity (null: no bound), when
 * they last received one, their weight, how many they received under the current weights, their specialties and
 * their performance score (0..1).
 */
record Candidate(UUID userId, String name, int load, Integer capacity, Instant lastAssignedAt, int weight,
                 long assignedUnderWeights, Set<String> specialties, double performance, boolean aiAgent) {

    /** Members without a capacity are compared by load as if they could hold this many. */
    static final int NOMINAL_CAPACITY = 10;

    boolean hasRoom() {
        return capacity == null || load < capacity;
    }

    double relativeLoad() {
        return (double) load / (capacity == null ? NOMINAL_CAPACITY : capacity);
    }
}
