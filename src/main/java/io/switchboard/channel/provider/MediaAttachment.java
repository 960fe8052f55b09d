package io.switchboard.channel.provider;

/**
 * A media file attached to an inbound message.
 *
 * @param url             where the file can be fetched, when the provider gives one (Twilio's
 *                        {@code MediaUrlN}, Evolution's {@code url}/{@code mediaUrl}); {@code null} for
 *                        Meta, whose media must be looked up by id
 * @param contentType     MIME type as the provider reported it, may be {@code null}
 * @param providerMediaId the provider's handle for the file (Meta media id, Twilio media SID,
 *                        Evolution message key id), may be {@code null}
 */
public record MediaAttachment(String url, String contentType, String providerMediaId) {
}
