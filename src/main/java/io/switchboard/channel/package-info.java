/**
 * Channel accounts and the providers behind them (Twilio, Meta Cloud API, Evolution API, web chat, API):
 * verified, idempotent inbound webhooks and durable outbound delivery with status tracking.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Channels", allowedDependencies = {"contact", "conversation", "database", "identity", "media", "outbound", "refusal"})
package io.switchboard.channel;
