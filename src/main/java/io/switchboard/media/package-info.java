/**
 * The files messages carry: inbound media downloaded once from the provider by a durable job, size- and
 * type-checked, kept in the media storage and served only to signed-in people of the tenant (or, for a
 * provider fetching an outbound attachment, through a short-lived signed address).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Media", allowedDependencies = {"conversation", "database", "identity", "refusal"})
package io.switchboard.media;
