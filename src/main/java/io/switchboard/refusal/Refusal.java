package io.switchboard.refusal;

/**
 * A request the domain turns down for a reason the caller can act on. The message is shown to the caller as
 * it is, so it must say what is wrong and, where it helps, what to do.
 */
public abstract sealed class Refusal extends RuntimeException permits NotFound, Conflict, InvalidInput, RateLimited {

    protected Refusal(String message) {
        super(message);
    }
}
