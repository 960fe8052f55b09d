package io.switchboard.conversation;

import java.time.Instant;
import java.util.UUID;

/**
 * A customer message as a channel delivers it, already verified and normalized.
 *
 * @param providerMessageId the provider's id: the same id twice is the same message
 * @param mediaJson         JSON array of attachments, or null
 * @param metadataJson      JSON object of provider details worth keeping, or null
 */
public record InboundMessage(UUID organizationId, ChannelOrigin origin, String senderIdentifier, String senderName,
                             String senderPhone, String providerMessageId, String content, String contentType,
                             String mediaJson, String metadataJson, Instant sentAt) {
}
