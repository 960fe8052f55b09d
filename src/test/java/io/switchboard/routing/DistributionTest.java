package io.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The methods' edge cases, on plain candidates: ties, everyone full, weights that do not sum to 100. */
class DistributionTest {

    private static Candidate person(String name, int load, Integer capacity, Instant lastAssigned, int weight, long assigned,
                                    Set<String> specialties, double performance) {
        return new Candidate(UUID.nameUUIDFromBytes(name.getBytes()), name, load, capacity, lastAssigned, weight, assigned,
                specialties, performance, false);
    }

    private static Candidate person(String name, int load, Integer capacity, Instant lastAssigned) {
        return person(name, load, capacity, lastAssigned, 1, 0, Set.of(), 0.5);
    }

    private static String choose(AssignmentMethod method, List<Candidate> candidates, Set<String> wanted) {
        return Distribution.choose(method, candidates, wanted).map(c -> c.candidate().name()).orElse("nobody");
    }

    @Test
    void everyMethodChoosesNobodyWhenEveryoneIsAtCapacity() {
        List<Candidate> full = List.of(person("Ana", 2, 2, null), person("Bia", 5, 5, null));
        for (AssignmentMethod method : AssignmentMethod.values()) {
            assertThat(choose(method, full, Set.of())).as(method.db()).isEqualTo("nobody");
        }
    }

    @Test
    void roundRobinPrefersNeverAssignedThenTheOldestAssignmentAndBreaksTiesByName() {
        Instant earlier = Instant.parse("2026-01-01T10:00:00Z");
        Instant later = earlier.plusSeconds(60);
        assertThat(choose(AssignmentMethod.ROUND_ROBIN, List.of(person("Ana", 0, null, later), person("Bia", 0, null, earlier)), Set.of()))
                .isEqualTo("Bia");
        assertThat(choose(AssignmentMethod.ROUND_ROBIN, List.of(person("Caio", 0, null, null), person("Bia", 0, null, earlier)), Set.of()))
                .isEqualTo("Caio");
        assertThat(choose(AssignmentMethod.ROUND_ROBIN, List.of(person("Caio", 0, null, earlier), person("Bia", 0, null, earlier)), Set.of()))
                .isEqualTo("Bia");
    }

    @Test
    void byLoadComparesLoadRelativeToCapacityAndTiesFallBackToRoundRobin() {
        Instant earlier = Instant.parse("2026-01-01T10:00:00Z");
        // 2 of 10 (0.2) beats 1 of 2 (0.5) even with more conversations
        assertThat(choose(AssignmentMethod.BY_LOAD, List.of(person("Ana", 1, 2, null), person("Bia", 2, 10, null)), Set.of()))
                .isEqualTo("Bia");
        // 1 of 5 and 2 of 10: a tie → the one waiting longest
        assertThat(choose(AssignmentMethod.BY_LOAD, List.of(person("Ana", 1, 5, earlier.plusSeconds(5)), person("Bia", 2, 10, earlier)), Set.of()))
                .isEqualTo("Bia");
    }

    @Test
    void bySpecialtyFallsBackToEveryoneByLoadWhenNoSpecialistIsFree() {
        Candidate busySpecialist = person("Ana", 3, 3, null, 1, 0, Set.of("financeiro"), 0.5);
        Candidate generalist = person("Bia", 1, null, null, 1, 0, Set.of(), 0.5);
        assertThat(choose(AssignmentMethod.BY_SPECIALTY, List.of(busySpecialist, generalist), Set.of("financeiro"))).isEqualTo("Bia");
        Candidate freeSpecialist = person("Caio", 2, null, null, 1, 0, Set.of("financeiro"), 0.5);
        assertThat(choose(AssignmentMethod.BY_SPECIALTY, List.of(generalist, freeSpecialist), Set.of("financeiro"))).isEqualTo("Caio");
    }

    @Test
    void byPerformanceWithoutDataIsNeutralSoRoundRobinDecides() {
        Instant earlier = Instant.parse("2026-01-01T10:00:00Z");
        assertThat(choose(AssignmentMethod.BY_PERFORMANCE, List.of(person("Ana", 0, null, earlier.plusSeconds(1), 1, 0, Set.of(), 0.5),
                person("Bia", 0, null, earlier, 1, 0, Set.of(), 0.5)), Set.of())).isEqualTo("Bia");
        assertThat(choose(AssignmentMethod.BY_PERFORMANCE, List.of(person("Ana", 0, null, earlier.plusSeconds(1), 1, 0, Set.of(), 0.7),
                person("Bia", 0, null, earlier, 1, 0, Set.of(), 0.5)), Set.of())).isEqualTo("Ana");
    }

    @Test
    void weightsThatDoNotSumToAHundredAreNormalizedAndZeroWeightGetsNothingWhileOthersAreFree() {
        Map<String, Integer> shares = simulate(List.of(person("Ana", 0, null, null, 3, 0, Set.of(), 0.5),
                person("Bia", 0, null, null, 1, 0, Set.of(), 0.5), person("Caio", 0, null, null, 0, 0, Set.of(), 0.5)), 1000);
        assertThat(shares).containsEntry("Ana", 750).containsEntry("Bia", 250).doesNotContainKey("Caio");

        // only zero-weight members free: they share equally rather than leave the customer waiting
        Map<String, Integer> zeros = simulate(List.of(person("Caio", 0, null, null, 0, 0, Set.of(), 0.5),
                person("Duda", 0, null, null, 0, 0, Set.of(), 0.5)), 10);
        assertThat(zeros).containsEntry("Caio", 5).containsEntry("Duda", 5);
    }

    /** Assigns {@code count} times, feeding each choice back as the method's count does. */
    private static Map<String, Integer> simulate(List<Candidate> team, int count) {
        Map<String, Integer> received = new HashMap<>();
        List<Candidate> current = new ArrayList<>(team);
        for (int i = 0; i < count; i++) {
            Candidate chosen = Distribution.choose(AssignmentMethod.PERCENTAGE, current, Set.of()).orElseThrow().candidate();
            received.merge(chosen.name(), 1, Integer::sum);
            current.replaceAll(c -> c == chosen ? new Candidate(c.userId(), c.name(), c.load(), c.capacity(), Instant.now(),
                    c.weight(), c.assignedUnderWeights() + 1, c.specialties(), c.performance(), false) : c);
        }
        return received;
    }
}
