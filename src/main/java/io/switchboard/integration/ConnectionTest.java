package io.switchboard.integration;

/** The outcome of Test connection: whether the system answered as expected, and what it said. */
public record ConnectionTest(boolean ok, String message) {
}
