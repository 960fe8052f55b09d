package io.switchboard.channel;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The public URLs of our webhooks. Providers sign the URL they call, so behind a proxy the configured
 * {@code SWITCHBOARD_PUBLIC_URL} must be used to rebuild exactly what they called.
 */
@Component
public class WebhookUrls {

    private final ChannelProperties properties;

    WebhookUrls(ChannelProperties properties) {
        this.properties = properties;
    }

    /** The base URL the outside world reaches us at, without a trailing slash. */
    public String base(HttpServletRequest request) {
        if (properties.publicUrl() != null && !properties.publicUrl().isBlank()) {
            return properties.publicUrl().replaceAll("/+$", "");
        }
        return ServletUriComponentsBuilder.fromContextPath(request).replacePath(request.getContextPath()).replaceQuery(null)
                .build().toUriString().replaceAll("/+$", "");
    }

    /** The full URL of the current request as the provider called it (for Twilio's signature). */
    public String requestUrl(HttpServletRequest request) {
        String query = request.getQueryString();
        return base(request) + request.getRequestURI().substring(request.getContextPath().length())
                + (query == null ? "" : "?" + query);
    }

    /** Where Telegram posts this bot's updates (set through setWebhook, never pasted by hand). */
    String telegramWebhook(String base, ChannelAccount account) {
        return base + "/webhooks/telegram/" + account.id();
    }

    /** Where Evolution posts this account's events, set on an instance created from here (the secret goes in a header). */
    String evolutionWebhook(String base, ChannelAccount account) {
        return base + "/webhooks/evolution/" + account.id();
    }

    /** The URLs to paste into the provider (or the embed snippet), by purpose. */
    public Map<String, String> forAccount(ChannelAccount account, HttpServletRequest request) {
        String base = base(request);
        Map<String, String> urls = new LinkedHashMap<>();
        switch (account.type()) {
            case TWILIO -> {
                urls.put("messages", base + "/webhooks/twilio/" + account.id());
                urls.put("status_callback", base + "/webhooks/twilio/" + account.id() + "/status");
            }
            case META_CLOUD -> urls.put("callback", base + "/webhooks/meta/" + account.id());
            case EVOLUTION -> urls.put("webhook", base + "/webhooks/evolution/" + account.id() + "?secret=<webhook_secret>");
            case WEBCHAT -> urls.put("embed", "<script src=\"" + base + "/widget.js\" data-account=\"" + account.id() + "\"></script>");
            case API -> urls.put("messages", base + "/api/v1/channels/api/" + account.id() + "/messages");
            case INSTAGRAM -> urls.put("callback", base + "/webhooks/instagram/" + account.id());
            case MESSENGER -> urls.put("callback", base + "/webhooks/messenger/" + account.id());
            case TELEGRAM -> urls.put("webhook", telegramWebhook(base, account));
        }
        return urls;
    }
}
