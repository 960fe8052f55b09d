package io.switchboard.integration;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** A usable connection: settings and decrypted secrets. Never leaves this module. */
record Connection(UUID id, IntegrationKind kind, String name, Map<String, Object> settings, Map<String, String> secrets) {

    String setting(String key) {
        Object value = settings.get(key);
        return value == null || value.toString().isBlank() ? null : value.toString().strip();
    }

    /** The per-call deadline the administrator set ({@code timeout_seconds}), else {@code fallback}. */
    Duration timeout(Duration fallback) {
        String seconds = setting("timeout_seconds");
        if (seconds == null) {
            return fallback;
        }
        try {
            return Duration.ofMillis((long) (Double.parseDouble(seconds) * 1000));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The URL setting without its trailing slashes. */
    String baseUrl(String key) {
        String url = setting(key);
        return url == null ? null : url.replaceAll("/+$", "");
    }
}
