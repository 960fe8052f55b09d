package io.switchboard.web;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Finds which form field a service's validation message is about. The services name the field first
 * (temperature must be between 0 and 2; settings.history_limit must be ...), using the
 * same paths our inputs are named after, so the message can be shown next to that input.
 */
final class FieldErrors {

    private FieldErrors() {
    }

    /** The longest field name the message starts with, as a whole word; empty when it names none. */
    static Optional<String> fieldNamedIn(String message, Collection<String> fields) {
        if (message == null) {
            return Optional.empty();
        }
        return fields.stream()
                .filter(field -> message.startsWith(field) && (message.length() == field.length()
                        || !Character.isLetterOrDigit(message.charAt(field.length())) && message.charAt(field.length()) != '_'))
                .max(Comparator.comparingInt(String::length));
    }
}
