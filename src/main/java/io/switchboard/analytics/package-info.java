/**
 * Reports on the cost, quality and speed of every AI agent and person: daily read models refreshed from the
 * ledgers and conversation changes, resolution-rate classification, CSAT surveys, and the reports API and page.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Analytics", allowedDependencies = {"conversation", "database", "identity", "refusal", "routing"})
package io.switchboard.analytics;
