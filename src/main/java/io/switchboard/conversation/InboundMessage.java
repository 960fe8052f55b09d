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

    /** The most of a customer's text kept; WhatsApp itself stops at 4,096, so only abuse gets cut. */
    public static final int MAX_CONTENT_CHARS = 20_000;

    /**
     * Whatever a provider sends is stored: characters PostgreSQL cannot keep (NUL, and with it the other
     * control characters) are dropped rather than losing the whole message, and an oversized text is cut with
     * a marker saying how much is missing.
     */
    public InboundMessage {
        content = storable(content);
        if (content != null && content.length() > MAX_CONTENT_CHARS) {
            int cut = Character.isHighSurrogate(content.charAt(MAX_CONTENT_CHARS - 1)) ? MAX_CONTENT_CHARS - 1 : MAX_CONTENT_CHARS;
            content = content.substring(0, cut) + "\n[… " + (content.length() - cut) + " more characters not kept]";
        }
        senderName = storable(senderName);
        if (senderName != null && senderName.length() > 200) {
            senderName = senderName.substring(0, 200);
        }
        senderIdentifier = storable(senderIdentifier);
        // jsonb refuses the escaped NUL as well
        mediaJson = mediaJson == null ? null : mediaJson.replace("\\u0000", "");
        metadataJson = metadataJson == null ? null : metadataJson.replace("\\u0000", "");
    }

    private static String storable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder kept = new StringBuilder(text.length());
        text.codePoints().filter(c -> !Character.isISOControl(c) || c == '\n' || c == '\r' || c == '\t')
                .forEach(kept::appendCodePoint);
        return kept.length() == text.length() ? text : kept.toString();
    }
}
