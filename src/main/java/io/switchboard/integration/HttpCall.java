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
 * @param timeout       the call's overall deadline, every attempt included; null for the connection's (or the
 *                      installation's) default
 * @param retry         the tool's {@code retry} settings ({@link io.switchboard.outbound.RetryPolicy}); null for the
 *                      connection's, else the default for the method
 */
public record HttpCall(UUID integrationId, String method, String url, Map<String, String> headers, String body,
                       Duration timeout, Map<String, String> values,
                       Map<String, Object> retry) {
}
