package io.switchboard.integration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code switchboard.integration}.
 *
 * @param mcpStdioAllowed let administrators connect MCP servers that run as a local process (stdio): the
 *                        command runs on this server with its rights, so only an operator can allow it
 */
@ConfigurationProperties("switchboard.integration")
public record IntegrationProperties(boolean mcpStdioAllowed) {
}
