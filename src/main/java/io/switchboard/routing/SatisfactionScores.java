package io.switchboard.routing;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Customers' satisfaction with each person, for the {@code by_performance} method. Routing only declares what it
 * needs; the module that collects ratings (analytics) implements it, so routing does not depend on it. Without a
 * bean, satisfaction counts as neutral.
 */
public interface SatisfactionScores {

    /**
     * Each person's average satisfaction over the ratings given since {@code since}, in the current organization,
     * normalised to 0..1 (worst..best). People without a rating are absent.
     */
    Map<UUID, Double> normalisedByPerson(Instant since);
}
