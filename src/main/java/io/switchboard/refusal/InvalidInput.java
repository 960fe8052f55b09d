package io.switchboard.refusal;

/** The input breaks a rule (a missing field, a value out of range); the message names the field and the rule. */
public final class InvalidInput extends Refusal {

    public InvalidInput(String message) {
        super(message);
    }
}
