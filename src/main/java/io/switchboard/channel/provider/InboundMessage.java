package io.switchboard.channel.provider;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A customer message normalized from any provider's webhook.
 *
 * <p>Contract: non-text messages are never dropped. {@code text} is never blank: it holds the
 * message text, the media caption, or a readable summary ('[image]', '📍 Location: …') so that a
 * human or an AI agent always sees something meaningful.
 *
 * @param providerMessageId the provider's id, the de-duplication key (Twilio {@code MessageSid},
 *                          Meta {@code wamid…}, Evolution {@code key.id})
 * @param senderIdentifier  stable handle of the customer on the channel: Twilio {@code +E164},
 *                          Meta {@code wa_id}, Evolution the number part of {@code remoteJid}
 * @param senderName        profile name when the provider sends one, else {@code null}
 * @param senderPhone       E.164 phone with {@code +} when known, else {@code null}
 * @param text              text, caption or readable summary; never blank
 * @param contentType       one of {@code text, image, audio, video, document, location, sticker,
 *                          contact, other}
 * @param media             attachments, empty when none
 * @param metadata          provider specifics worth keeping (recipient number, coordinates, reply
 *                          context…); never {@code null}
 * @param sentAt            when the customer sent it per the provider, or when it was parsed if the
 *                          provider sends no timestamp (Twilio)
 */
public record InboundMessage(String providerMessageId, String senderIdentifier, String senderName,
                             String senderPhone, String text, String contentType,
                             List<MediaAttachment> media, Map<String, Object> metadata,
                             Instant sentAt) {

    /** Copies the collections so a parsed message cannot change afterwards; metadata may hold nulls. */
    public InboundMessage {
        media = media == null ? List.of() : List.copyOf(media);
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
