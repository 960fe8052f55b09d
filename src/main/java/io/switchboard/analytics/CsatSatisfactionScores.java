package io.switchboard.analytics;

import io.switchboard.routing.SatisfactionScores;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Routing's view of the CSAT answers: a 1–5 average becomes 0..1 (1 → 0, 3 → 0.5, 5 → 1). */
@Component
class CsatSatisfactionScores implements SatisfactionScores {

    private static final double LOWEST = 1;
    private static final double HIGHEST = 5;

    private final CsatScores csat;

    CsatSatisfactionScores(CsatScores csat) {
        this.csat = csat;
    }

    @Override
    public Map<UUID, Double> normalisedByPerson(Instant since) {
        Map<UUID, Double> normalised = new LinkedHashMap<>();
        csat.averagesByPerson(since).forEach((person, average) ->
                normalised.put(person, (average.score().doubleValue() - LOWEST) / (HIGHEST - LOWEST)));
        return normalised;
    }
}
