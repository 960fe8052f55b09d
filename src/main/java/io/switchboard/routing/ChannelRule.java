package io.switchboard.routing;

import java.util.UUID;

/**
 * Automatic assignment for one channel account: its new conversations belong to {@code departmentId} (so their
 * handoffs go there). With {@code autoAssign} off the rule is kept but does nothing. With {@code assignToAiAgent}
 * the department's AI agents and online people compete for each new conversation in one pool; without it the
 * account's AI agent answers first and people get its escalations (no AI agent: straight to the department's people).
 */
public record ChannelRule(UUID channelAccountId, UUID departmentId, boolean autoAssign, boolean assignToAiAgent) {
}
