package io.switchboard.refusal;

/** The thing does not exist — or belongs to another organization, which the caller must not learn. */
public final class NotFound extends Refusal {

    public NotFound(String message) {
        super(message);
    }
}
