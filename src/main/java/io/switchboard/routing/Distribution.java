package io.switchboard.routing;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The five methods' choice among members who are online, available and have room. Pure: the caller loads the
 * candidates under the queue's lock and assigns the choice.
 *
 * <p>Edge cases, the same for every method: nobody eligible (all offline, away or at capacity) → no choice,
 * the conversation waits in the queue. Ties always fall back to round robin (longest since the last
 * assignment, never-assigned first, then name), so a choice is deterministic.
 */
final class Distribution {

    /** Who gets the next conversation and why (the reason is kept in the conversation's history). */
    record Choice(Candidate candidate, AssignmentMethod method, String reason) {
    }

    static final Comparator<Candidate> ROUND_ROBIN = Comparator
            .comparing(Candidate::lastAssignedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
            .thenComparing(Candidate::name).thenComparing(Candidate::userId);

    private Distribution() {
    }

    /**
     * @param candidates members to choose from; those without room are skipped here too
     * @param wanted the conversation's specialty keys (funnel id, stage id, requested specialty), for {@code by_specialty}
     */
    static Optional<Choice> choose(AssignmentMethod method, List<Candidate> candidates, Set<String> wanted) {
        List<Candidate> eligible = candidates.stream().filter(Candidate::hasRoom).toList();
        if (eligible.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(switch (method) {
            case ROUND_ROBIN -> new Choice(first(eligible, ROUND_ROBIN), method, "longest since the last assignment");
            case BY_LOAD -> byLoad(eligible, method, "fewest open conversations for their capacity");
            case BY_SPECIALTY -> bySpecialty(eligible, wanted);
            case BY_PERFORMANCE -> {
                Candidate best = first(eligible, Comparator.comparingDouble(Candidate::performance).reversed().thenComparing(ROUND_ROBIN));
                yield new Choice(best, method, "best performance score %.2f".formatted(best.performance()));
            }
            case PERCENTAGE -> byWeight(eligible);
        });
    }

    private static Choice byLoad(List<Candidate> pool, AssignmentMethod method, String reason) {
        return new Choice(first(pool, Comparator.comparingDouble(Candidate::relativeLoad).thenComparing(ROUND_ROBIN)), method, reason);
    }

    /** Members with a matching specialty, by load; when nobody matches, everyone eligible, by load. */
    private static Choice bySpecialty(List<Candidate> eligible, Set<String> wanted) {
        List<Candidate> matching = eligible.stream()
                .filter(c -> c.specialties().stream().anyMatch(wanted::contains)).toList();
        return matching.isEmpty()
                ? byLoad(eligible, AssignmentMethod.BY_SPECIALTY, "nobody with the specialty is free; fewest open conversations")
                : byLoad(matching, AssignmentMethod.BY_SPECIALTY, "specialty matches");
    }

    /**
     * Shares proportional to the weights of the members eligible now, whatever the weights sum to (they are
     * normalized; 30/30/30 is thirds). Picks whoever is furthest below their share of the assignments made
     * under the current weights, so over many assignments each share is met within one assignment. Weight 0
     * receives nothing while anyone weighted is free; if only weight-0 members are free, they share equally.
     */
    private static Choice byWeight(List<Candidate> eligible) {
        List<Candidate> weighted = eligible.stream().filter(c -> c.weight() > 0).toList();
        List<Candidate> pool = weighted.isEmpty() ? eligible : weighted;
        double totalWeight = pool.stream().mapToDouble(c -> weighted.isEmpty() ? 1 : c.weight()).sum();
        long made = pool.stream().mapToLong(Candidate::assignedUnderWeights).sum();
        Comparator<Candidate> furthestBelowShare = Comparator.comparingDouble((Candidate c) ->
                (weighted.isEmpty() ? 1 : c.weight()) / totalWeight * (made + 1) - c.assignedUnderWeights()).reversed();
        Candidate chosen = first(pool, furthestBelowShare.thenComparing(ROUND_ROBIN));
        return new Choice(chosen, AssignmentMethod.PERCENTAGE,
                "weight %d of %.0f".formatted(weighted.isEmpty() ? 1 : chosen.weight(), totalWeight));
    }

    private static Candidate first(List<Candidate> pool, Comparator<Candidate> order) {
        return pool.stream().min(order).orElseThrow();
    }
}
