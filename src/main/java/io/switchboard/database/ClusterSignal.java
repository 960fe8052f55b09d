package io.switchboard.database;

/**
 * A signal received from PostgreSQL {@code NOTIFY}, published as a Spring event on every node — including
 * the one that sent it — once the sending transaction committed.
 *
 * @param topic   what kind of signal, e.g. {@code conversation_changed}
 * @param payload the sender's text (short: PostgreSQL limits a notification to 8000 bytes)
 */
public record ClusterSignal(String topic, String payload) {
}
