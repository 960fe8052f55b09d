package io.switchboard.channel.provider;

import java.util.List;
import java.util.Map;

/**
 * One message to deliver.
 *
 * @param to                the customer on this channel: {@code +E164}, digits, or a WhatsApp JID
 * @param text              body or caption; may be blank when media is sent
 * @param mediaUrls         public URLs of media to attach; empty when none
 * @param credentials       the channel account's secrets (Twilio {@code account_sid}, {@code auth_token};
 *                          Meta {@code access_token}; Evolution {@code api_key})
 * @param config            the channel account's non-secret settings (Twilio {@code from},
 *                          {@code whatsapp}, {@code messaging_service_sid}; Meta {@code phone_number_id};
 *                          Evolution {@code base_url}, {@code instance})
 * @param statusCallbackUrl where the provider should post status updates, {@code null} for none
 *                          (used by Twilio; Meta and Evolution use the account-wide webhook)
 * @param template          an approved WhatsApp template to send instead of free text, {@code null} for none
 */
public record OutboundRequest(String to, String text, List<String> mediaUrls, Map<String, String> credentials,
                              Map<String, Object> config, String statusCallbackUrl, TemplateMessage template) {

    public OutboundRequest(String to, String text, List<String> mediaUrls, Map<String, String> credentials,
                           Map<String, Object> config, String statusCallbackUrl) {
        this(to, text, mediaUrls, credentials, config, statusCallbackUrl, null);
    }

    /** Defaults missing collections to empty so senders never meet {@code null}. */
    public OutboundRequest {
        mediaUrls = mediaUrls == null ? List.of() : List.copyOf(mediaUrls);
        credentials = credentials == null ? Map.of() : credentials;
        config = config == null ? Map.of() : config;
    }

    /** A secret, or an identifier (like Twilio's account_sid) the account keeps with its plain settings. */
    String credential(String key) {
        String value = credentials.get(key);
        return value == null || value.isBlank() ? setting(key) : value.strip();
    }

    String setting(String key) {
        Object value = config.get(key);
        return value == null || value.toString().isBlank() ? null : value.toString().strip();
    }

    boolean flag(String key) {
        Object value = config.get(key);
        return value instanceof Boolean b ? b : value != null && Boolean.parseBoolean(value.toString().strip());
    }
}
