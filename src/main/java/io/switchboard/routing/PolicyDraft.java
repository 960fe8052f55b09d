package io.switchboard.routing;

/** A policy to set; null targets take the defaults of 5 min and 24 h. {@code priority} null: every priority. */
public record PolicyDraft(String priority, Integer firstResponseSeconds, Integer resolutionSeconds, Boolean redistributeOnBreach) {
}
