/**
 * What people see and how the API speaks: the inbox and admin UI, and the problem+json error format.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Web", allowedDependencies = {"ai", "ai::tools", "channel", "contact", "conversation", "database", "identity", "integration", "knowledge", "media", "refusal", "routing"})
package io.switchboard.web;
