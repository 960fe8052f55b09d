package io.switchboard.integration;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts to an n8n workflow's Webhook node and returns what its Respond to Webhook node answers. n8n's
 * Header Auth is supported: the connection's {@code auth_header_name} setting with its {@code auth_header_value}
 * secret.
 */
@Service
public class N8nWebhooks {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private final Integrations integrations;
    private final ExternalHttp http;
    private final JsonMapper json;

    N8nWebhooks(Integrations integrations, ExternalHttp http, JsonMapper json) {
        this.integrations = integrations;
        this.http = http;
        this.json = json;
    }

    /** Posts {@code payload}; the answer as text (JSON when the workflow answers JSON). */
    public HttpAnswer post(UUID integrationId, JsonNode payload, Duration timeout) {
        Connection connection = integrations.connection(integrationId, IntegrationKind.N8N);
        return http.send(request(connection, payload), timeout != null ? timeout : connection.timeout(DEFAULT_TIMEOUT), "n8n (" + connection.name() + ")");
    }

    /** Posts a test event the workflow can recognise ({@code "test": true}). */
    ConnectionTest test(Connection connection) {
        try {
            HttpAnswer answer = http.send(request(connection, json.createObjectNode().put("test", true)),
                    connection.timeout(DEFAULT_TIMEOUT), "n8n (" + connection.name() + ")");
            return new ConnectionTest(true, "n8n answered HTTP " + answer.status() + " in " + answer.durationMs() + " ms");
        } catch (IntegrationCallFailed e) {
            return new ConnectionTest(false, e.getMessage());
        }
    }

    private HttpRequest request(Connection connection, JsonNode payload) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(connection.setting("webhook_url")));
        } catch (IllegalArgumentException e) {
            throw new IntegrationCallFailed("the n8n webhook URL of '" + connection.name() + "' is not valid");
        }
        request.header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload.toString()));
        String headerName = connection.setting("auth_header_name");
        String headerValue = connection.secrets().get("auth_header_value");
        if (headerName != null && headerValue != null) {
            request.header(headerName, headerValue);
        }
        return request.build();
    }
}
