package io.switchboard.channel;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param publicUrl         the URL providers reach this server at (behind a proxy: the proxy's), used for
 *                          webhook URLs and Twilio's signature; empty → derived from each request
 * @param twilioApiBaseUrl  Twilio REST API base (tests and staging point it elsewhere)
 * @param metaApiBaseUrl    Meta Graph API base
 * @param metaApiVersion    Graph API version
 * @param deliveryMaxAttempts attempts before a transient delivery failure becomes permanent
 */
@ConfigurationProperties("switchboard")
public record ChannelProperties(String publicUrl, String twilioApiBaseUrl, String metaApiBaseUrl, String metaApiVersion,
                                Integer deliveryMaxAttempts) {

    public ChannelProperties {
        if (twilioApiBaseUrl == null || twilioApiBaseUrl.isBlank()) {
            twilioApiBaseUrl = "https://api.twilio.com";
        }
        if (metaApiBaseUrl == null || metaApiBaseUrl.isBlank()) {
            metaApiBaseUrl = "https://graph.facebook.com";
        }
        if (metaApiVersion == null || metaApiVersion.isBlank()) {
            metaApiVersion = "v21.0";
        }
        if (deliveryMaxAttempts == null) {
            deliveryMaxAttempts = 8;
        }
    }
}
