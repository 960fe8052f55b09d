package io.switchboard.channel;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Base URLs of the provider APIs the issue 15 channels call (tests and staging point them elsewhere).
 *
 * @param telegramApiBaseUrl      Telegram Bot API base
 * @param twilioContentApiBaseUrl Twilio Content API base (WhatsApp templates)
 */
@ConfigurationProperties("switchboard")
public record MessagingApiProperties(String telegramApiBaseUrl, String twilioContentApiBaseUrl) {

    public MessagingApiProperties {
        if (telegramApiBaseUrl == null || telegramApiBaseUrl.isBlank()) {
            telegramApiBaseUrl = "https://api.telegram.org";
        }
        if (twilioContentApiBaseUrl == null || twilioContentApiBaseUrl.isBlank()) {
            twilioContentApiBaseUrl = "https://content.twilio.com";
        }
    }
}
