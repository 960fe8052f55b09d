package io.switchboard.channel;

import io.switchboard.channel.provider.MediaDownloads;
import io.switchboard.media.MediaSource;
import io.switchboard.outbound.OutboundGuard;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Downloads a customer's file from the provider of the channel account that received it, with its credentials. */
@Component
class ProviderMedia implements MediaSource {

    private final ChannelAccounts accounts;
    private final MediaDownloads downloads;
    private final String telegramApiBaseUrl;

    ProviderMedia(ChannelAccounts accounts, ChannelProperties properties, MessagingApiProperties apis, OutboundGuard guard) {
        this.accounts = accounts;
        this.telegramApiBaseUrl = apis.telegramApiBaseUrl();
        this.downloads = new MediaDownloads(properties.twilioApiBaseUrl(), properties.metaApiBaseUrl(), properties.metaApiVersion(),
                guard::refusal);
    }

    @Override
    public Download fetch(Origin origin, long maxBytes) {
        Optional<ChannelAccount> found = origin.channelAccountId() == null ? Optional.empty() : accounts.findOptional(origin.channelAccountId());
        if (found.isEmpty()) {
            return new Failed(false, "the channel account that received the file no longer exists");
        }
        ChannelAccount account = found.get();
        Map<String, String> secrets = accounts.secrets(account);
        return switch (account.type()) {
            case TWILIO -> downloads.twilio(origin.url(), setting(account, secrets, "account_sid"), secrets.get("auth_token"), maxBytes);
            case META_CLOUD -> downloads.meta(origin.providerMediaId(), secrets.get("access_token"), maxBytes);
            case EVOLUTION -> downloads.evolution(account.configValue("base_url"), account.configValue("instance"),
                    secrets.get("api_key"), origin.providerMediaId(), maxBytes);
            case TELEGRAM -> downloads.telegram(telegramApiBaseUrl, secrets.get("bot_token"), origin.providerMediaId(), maxBytes);
            case INSTAGRAM, MESSENGER -> downloads.metaMessaging(origin.url(), maxBytes);
            default -> new Failed(false, account.type().code() + " channels do not deliver files to download");
        };
    }

    /** A secret, or an identifier (like Twilio's account_sid) the account keeps with its plain settings. */
    private static String setting(ChannelAccount account, Map<String, String> secrets, String key) {
        String secret = secrets.get(key);
        return secret != null && !secret.isBlank() ? secret : account.configValue(key);
    }
}
