package io.switchboard.refusal;

/** The request is valid but the current state forbids it (e.g. a duplicate, or a message that is not failed). */
public final class Conflict extends Refusal {

    public Conflict(String message) {
        super(message);
    }
}
