package io.switchboard.integration;

/**
 * A call to a connected system failed (refused credentials, a server error, no answer in time, an address the
 * guard refuses…). The message says what happened in words a model can relay and an administrator can act on;
 * it never contains a secret.
 */
public class IntegrationCallFailed extends RuntimeException {

    public IntegrationCallFailed(String message) {
        super(message);
    }

    public IntegrationCallFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
