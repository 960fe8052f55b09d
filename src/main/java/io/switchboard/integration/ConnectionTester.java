package io.switchboard.integration;

import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Test connection: calls the system the way its tools will and reports its own error, so an administrator
 * sees that WooCommerce refused the credentials with HTTP 401 rather than a generic failure. The outcome is kept.
 */
@Service
public class ConnectionTester {

    private final Integrations integrations;
    private final WooCommerce wooCommerce;
    private final ExternalHttp http;
    private final N8nWebhooks n8n;
    private final ExternalDatabase databases;
    private final McpServers mcp;

    ConnectionTester(Integrations integrations, WooCommerce wooCommerce, ExternalHttp http, N8nWebhooks n8n,
                     ExternalDatabase databases, McpServers mcp) {
        this.integrations = integrations;
        this.wooCommerce = wooCommerce;
        this.http = http;
        this.n8n = n8n;
        this.databases = databases;
        this.mcp = mcp;
    }

    public ConnectionTest test(UUID integrationId) {
        integrations.find(integrationId);
        Connection connection = integrations.connection(integrationId);
        ConnectionTest outcome = switch (connection.kind()) {
            case WOOCOMMERCE -> wooCommerce.test(connection);
            case HTTP_API -> http.test(connection, "base_url");
            case N8N -> n8n.test(connection);
            case DATABASE -> databases.test(connection);
            case MCP -> mcp.test(connection);
        };
        integrations.recordTest(integrationId, outcome);
        return outcome;
    }
}
