/**
 * Distribution: departments and their members (people and AI agents), the five assignment methods, the
 * department queues that hold handed-off conversations until someone is free, and SLA clocks.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Routing", allowedDependencies = {"ai", "conversation", "database", "identity", "refusal"})
package io.switchboard.routing;
