package io.switchboard.conversation;

import java.time.Instant;
import java.util.UUID;

/**
 * One message of a conversation. {@code status} is the delivery status for outbound messages
 * ({@code scheduled, queued, sending, sent, delivered, read, failed, unconfirmed, discarded}: {@code sending} while a
 * provider call is under way, {@code unconfirmed} when that call was interrupted and nobody can tell whether the
 * customer got it) and {@code received} for inbound ones;
 * {@code media} and {@code metadata} are JSON texts.
 */
public record Message(UUID id, UUID organizationId, UUID conversationId, UUID channelAccountId, String direction,
                      SenderType senderType, UUID senderId, UUID aiAgentId, String content, String contentType,
                      String media, boolean privateNote, MessageStatus status, String providerMessageId, String errorCode,
                      String errorReason, String metadata, Instant createdAt) {

    public boolean fromCustomer() {
        return senderType == SenderType.CONTACT;
    }

    /** Whether files from the media store go with it (its media list names stored files). */
    public boolean carriesStoredFiles() {
        return media != null && media.contains("media_id");
    }
}
