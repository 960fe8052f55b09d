package io.switchboard.media;

/**
 * A file not taken: too large, empty, or of a type not allowed. The message says which and what is allowed; the
 * edge answers 413 or 415.
 */
public class MediaRefused extends RuntimeException {

    /** Why a file was refused. */
    public enum Reason { TOO_LARGE, TYPE_NOT_ALLOWED, EMPTY }

    private final Reason reason;

    public MediaRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
