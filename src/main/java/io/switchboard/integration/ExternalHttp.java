package io.switchboard.integration;

import io.switchboard.outbound.OutboundFailure;
import io.switchboard.outbound.OutboundHttp;
import io.switchboard.outbound.OutboundResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Makes the HTTP calls of admin-defined tools and n8n webhooks: templates filled (secrets only from the
 * connection), the outbound guard, the deadline and the size cap applied; anything but a 2xx becomes an
 * {@link IntegrationCallFailed} carrying the status and the start of the body.
 */
@Service
public class ExternalHttp {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final int EXCERPT = 300;

    private final Integrations integrations;
    private final OutboundHttp http;

    ExternalHttp(Integrations integrations, OutboundHttp http) {
        this.integrations = integrations;
        this.http = http;
    }

    public HttpAnswer call(HttpCall call) {
        Connection connection = call.integrationId() == null ? null : integrations.connection(call.integrationId(), IntegrationKind.HTTP_API);
        Map<String, String> secrets = connection == null ? Map.of() : connection.secrets();
        String connectionName = connection == null ? null : connection.name();
        String url = Placeholders.fill(call.url(), call.values(), secrets, Placeholders.Escaping.URL, connectionName);
        if (connection != null && !url.matches("(?i)^https?://.*")) {
            url = connection.baseUrl("base_url") + (url.startsWith("/") ? "" : "/") + url;
        }
        String method = call.method() == null ? "GET" : call.method().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new IntegrationCallFailed("the HTTP method '" + call.method() + "' is not one of " + METHODS);
        }
        String body = Placeholders.fill(call.body(), call.values(), secrets, Placeholders.Escaping.JSON_STRING, connectionName);
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url));
        } catch (IllegalArgumentException e) {
            throw new IntegrationCallFailed("the URL '" + url + "' is not valid");
        }
        request.method(method, body == null || body.isEmpty() || method.equals("GET")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !body.isEmpty() && !method.equals("GET")) {
            request.header("Content-Type", "application/json");
        }
        request.header("Accept", "application/json");
        if (call.headers() != null) {
            call.headers().forEach((name, template) ->
                    request.setHeader(name, Placeholders.fill(template, call.values(), secrets, Placeholders.Escaping.NONE, connectionName)));
        }
        Duration timeout = call.timeout() != null ? call.timeout() : connection != null ? connection.timeout(DEFAULT_TIMEOUT) : DEFAULT_TIMEOUT;
        return send(request.build(), timeout, URI.create(url).getHost());
    }

    /** Sends and keeps only a 2xx; the rest becomes a failure naming the system and what it said. */
    HttpAnswer send(HttpRequest request, Duration timeout, String system) {
        OutboundResponse response;
        try {
            response = http.send(request, timeout);
        } catch (OutboundFailure e) {
            throw new IntegrationCallFailed(e.getMessage(), e);
        }
        if (!response.successful()) {
            String text = response.text().strip();
            throw new IntegrationCallFailed(system + " answered HTTP " + response.status()
                    + (text.isEmpty() ? "" : ": " + (text.length() > EXCERPT ? text.substring(0, EXCERPT) + "…" : text)));
        }
        return new HttpAnswer(response.status(), response.text(), response.duration().toMillis());
    }

    /** A GET of the base URL: any answer below 500 proves the address and the network path. */
    ConnectionTest test(Connection connection, String urlSetting) {
        try {
            OutboundResponse response = http.send(HttpRequest.newBuilder(URI.create(connection.setting(urlSetting))).GET().build(),
                    connection.timeout(DEFAULT_TIMEOUT));
            return new ConnectionTest(response.status() < 500, connection.setting(urlSetting) + " answered HTTP " + response.status());
        } catch (OutboundFailure e) {
            return new ConnectionTest(false, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new ConnectionTest(false, "the URL is not valid");
        }
    }
}
