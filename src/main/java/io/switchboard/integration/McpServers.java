package io.switchboard.integration;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.McpTransport;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.langchain4j.mcp.client.transport.stdio.StdioMcpTransport;
import dev.langchain4j.service.tool.ToolExecutionResult;
import io.switchboard.outbound.OutboundGuard;
import io.switchboard.refusal.InvalidInput;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to MCP servers through LangChain4j's MCP client: streamable HTTP (the URL passes the outbound guard)
 * or, when the operator allows it, a local process over stdio. A client lives for one listing or one call, so
 * a changed connection takes effect at once and nothing is left open between turns.
 */
@Service
public class McpServers {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /** A tool the server offers, with its JSON Schema of arguments. */
    public record McpTool(String name, String description, String parametersSchema) {
    }

    /** What a tool call returned: its text, and whether the server marked it as an error. */
    public record McpAnswer(boolean error, String text) {
    }

    private final Integrations integrations;
    private final OutboundGuard guard;
    private final IntegrationProperties properties;
    private final JsonMapper json;

    McpServers(Integrations integrations, OutboundGuard guard, IntegrationProperties properties, JsonMapper json) {
        this.integrations = integrations;
        this.guard = guard;
        this.properties = properties;
        this.json = json;
    }

    public List<McpTool> tools(UUID integrationId) {
        return withClient(integrations.connection(integrationId, IntegrationKind.MCP), client -> client.listTools().stream()
                .map(this::tool).toList());
    }

    public McpAnswer call(UUID integrationId, String tool, String argumentsJson) {
        return withClient(integrations.connection(integrationId, IntegrationKind.MCP), client -> {
            ToolExecutionResult result = client.executeTool(ToolExecutionRequest.builder().id(UUID.randomUUID().toString())
                    .name(tool).arguments(argumentsJson).build());
            return new McpAnswer(result.isError(), result.resultText());
        });
    }

    ConnectionTest test(Connection server) {
        try {
            List<McpTool> tools = withClient(server, client -> client.listTools().stream().map(this::tool).toList());
            return new ConnectionTest(true, "Connected: " + tools.size() + " tools (" + String.join(", ", tools.stream().map(McpTool::name).toList()) + ")");
        } catch (IntegrationCallFailed e) {
            return new ConnectionTest(false, e.getMessage());
        }
    }

    /** {@code transport} is streamable_http (with a url) or stdio (with a command, when the operator allows it). */
    static void requireValidSettings(Map<String, Object> settings, boolean stdioAllowed) {
        Object transport = settings.get("transport");
        if ("streamable_http".equals(transport)) {
            if (settings.get("url") == null) {
                throw new InvalidInput("settings.url is required for the streamable_http transport");
            }
        } else if ("stdio".equals(transport)) {
            if (!stdioAllowed) {
                throw new InvalidInput("settings.transport: stdio MCP servers run on this server; an operator must allow them "
                        + "with switchboard.integration.mcp-stdio-allowed");
            }
            if (settings.get("command") == null) {
                throw new InvalidInput("settings.command is required for the stdio transport");
            }
        } else {
            throw new InvalidInput("settings.transport must be streamable_http or stdio");
        }
    }

    private McpTool tool(ToolSpecification specification) {
        Object schema = specification.parameters() == null ? Map.of("type", "object", "properties", Map.of())
                : JsonSchemaElementUtils.toMap(specification.parameters());
        return new McpTool(specification.name(), specification.description() == null ? "" : specification.description(),
                json.writeValueAsString(schema));
    }

    private <T> T withClient(Connection server, Function<McpClient, T> work) {
        Duration timeout = server.timeout(DEFAULT_TIMEOUT);
        McpClient client;
        try {
            client = new DefaultMcpClient.Builder().key(server.id().toString()).clientName("switchboard").transport(transport(server))
                    .initializationTimeout(timeout).toolExecutionTimeout(timeout).autoHealthCheck(false).build();
        } catch (IntegrationCallFailed e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IntegrationCallFailed("the MCP server '" + server.name() + "' could not be reached: " + describe(e), e);
        }
        try (client) {
            return work.apply(client);
        } catch (IntegrationCallFailed e) {
            throw e;
        } catch (Exception e) {
            throw new IntegrationCallFailed("the MCP server '" + server.name() + "' failed: " + describe(e), e);
        }
    }

    private McpTransport transport(Connection server) {
        if ("stdio".equals(server.setting("transport"))) {
            if (!properties.mcpStdioAllowed()) {
                throw new IntegrationCallFailed("stdio MCP servers are not allowed on this installation");
            }
            return new StdioMcpTransport.Builder().command(Arrays.asList(server.setting("command").split("\\s+"))).build();
        }
        String url = server.setting("url");
        guard.refusal(url).ifPresent(reason -> {
            throw new IntegrationCallFailed("the MCP server '" + server.name() + "' is refused: " + reason);
        });
        StreamableHttpMcpTransport.Builder transport = new StreamableHttpMcpTransport.Builder().url(url)
                .timeout(server.timeout(DEFAULT_TIMEOUT)).setHttpVersion1_1().followRedirects(false);
        String token = server.secrets().get("bearer_token");
        if (token != null) {
            transport.customHeaders(Map.of("Authorization", "Bearer " + token));
        }
        return transport.build();
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
