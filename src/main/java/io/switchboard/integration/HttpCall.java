package io.switchboard.integration;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * An admin-defined HTTP call to make: templates with {@code {{args.x}}}, {@code {{contact.email}}} and
 * {@code {{secret.NAME}}} placeholders, filled from {@code values} and the connection's secrets.
 *
 * @param integrationId an {@code http_api} connection whose base URL prefixes a relative {@code url} and whose
 *                      secrets the templates may use; null for an absolute URL without secrets
 * @param timeout       the call's deadline; null for the connection's (or the installation's) default
 */
public record HttpCall(UUID integrationId, String method, String url, Map<String, String> headers, String body,
                       Duration timeout, Map<String, String> values) {
}
