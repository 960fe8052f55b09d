package io.switchboard.outbound;

/**
 * An outbound call that produced no usable response; {@link #getMessage()} says why in words an administrator
 * (or a model reading a tool error) can act on.
 */
public class OutboundFailure extends RuntimeException {

    /** Why the call failed. */
    public enum Kind {
        /** The guard refused the address. */
        REFUSED,
        /** No answer within the call's deadline. */
        TIMEOUT,
        /** Connection refused, reset, or the host did not resolve. */
        UNREACHABLE,
        /** The response body was larger than the cap. */
        TOO_LARGE
    }

    private final Kind kind;

    public OutboundFailure(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
