/**
 * Every HTTP call to an address a tenant can set (webhooks, provider base URLs, integrations, tools) passes
 * through here: private, loopback and link-local addresses are refused unless the operator allows them
 * ({@code switchboard.outbound.allow-private-addresses}), redirects are not followed, each call has a deadline
 * and its response body a size cap.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Outbound calls", allowedDependencies = {"refusal"})
package io.switchboard.outbound;
