package io.switchboard.channel.provider;

/**
 * A webhook body that cannot be understood. The message says exactly what is wrong so that it can
 * be returned as a 400 and read in the provider's webhook log.
 */
public class MalformedPayloadException extends RuntimeException {

    public MalformedPayloadException(String message) {
        super(message);
    }

    public MalformedPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
