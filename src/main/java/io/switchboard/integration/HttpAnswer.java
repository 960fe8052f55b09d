package io.switchboard.integration;

/** What the called system answered (a 2xx): its status and body as text, and how long it took. */
public record HttpAnswer(int status, String body, long durationMs) {
}
