/**
 * An organization's connections to its own systems — WooCommerce, a generic HTTP API, n8n, an external
 * database, an MCP server — with encrypted, write-only secrets and a Test connection action, and the clients
 * the AI's tools call through them. Every HTTP call goes through the {@code outbound} guard.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Integrations", allowedDependencies = {"database", "identity", "outbound", "refusal"})
package io.switchboard.integration;
