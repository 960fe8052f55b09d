/**
 * The external CRM (Kommo) as the source of truth for a lead's stage. Before the AI answers a known lead,
 * {@link io.switchboard.crm.CrmGuard} reads the lead's live stage (short timeout, rate limited, cached
 * briefly), corrects the local copy and pauses the AI while the lead is in the human handoff stage. Kommo's
 * webhooks do the same as soon as a salesperson moves the lead; a missed webhook is caught by the next read.
 */
@org.springframework.modulith.ApplicationModule(displayName = "CRM", allowedDependencies = {"contact", "conversation", "database", "identity", "outbound"})
package io.switchboard.crm;
