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

    /** What an HTTP edge answers: 413 too large, 415 a type not taken, 400 empty. */
    public int httpStatus() {
        return switch (reason) {
            case TOO_LARGE -> 413;
            case TYPE_NOT_ALLOWED -> 415;
            case EMPTY -> 400;
        };
    }
}
