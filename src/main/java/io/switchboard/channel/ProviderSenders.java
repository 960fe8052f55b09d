package io.switchboard.channel;

import io.switchboard.channel.provider.EvolutionSender;
import io.switchboard.channel.provider.MessageSplitter;
import io.switchboard.channel.provider.MetaCloudSender;
import io.switchboard.channel.provider.MetaMessagingSender;
import io.switchboard.channel.provider.TelegramBotApi;
import io.switchboard.channel.provider.ProviderSender;
import io.switchboard.channel.provider.TwilioSender;
import io.switchboard.outbound.OutboundGuard;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The sender and the message-length limit of each provider that delivers over HTTP. */
@Component
class ProviderSenders {

    private final TwilioSender twilio;
    private final MetaCloudSender meta;
    private final EvolutionSender evolution;
    private final MetaMessagingSender instagram;
    private final MetaMessagingSender messenger;
    private final TelegramBotApi telegram;

    ProviderSenders(ChannelProperties properties, MessagingApiProperties apis, OutboundGuard guard) {
        this.instagram = new MetaMessagingSender(properties.metaApiBaseUrl(), properties.metaApiVersion(), "Instagram");
        this.messenger = new MetaMessagingSender(properties.metaApiBaseUrl(), properties.metaApiVersion(), "Messenger");
        this.telegram = new TelegramBotApi(apis.telegramApiBaseUrl());
        this.twilio = new TwilioSender(properties.twilioApiBaseUrl());
        this.meta = new MetaCloudSender(properties.metaApiBaseUrl(), properties.metaApiVersion());
        // the Evolution base URL is the tenant's: checked again before each send, since DNS may have changed
        this.evolution = new EvolutionSender(guard::refusal);
    }

    Optional<ProviderSender> senderFor(ChannelType type) {
        return switch (type) {
            case TWILIO -> Optional.of(twilio);
            case META_CLOUD -> Optional.of(meta);
            case EVOLUTION -> Optional.of(evolution);
            case INSTAGRAM -> Optional.of(instagram);
            case MESSENGER -> Optional.of(messenger);
            case TELEGRAM -> Optional.of(telegram);
            default -> Optional.empty();
        };
    }

    TelegramBotApi telegram() {
        return telegram;
    }

    int limitFor(ChannelType type) {
        return switch (type) {
            case TWILIO -> MessageSplitter.TWILIO_LIMIT;
            case META_CLOUD -> MessageSplitter.META_LIMIT;
            case EVOLUTION -> MessageSplitter.EVOLUTION_LIMIT;
            case INSTAGRAM -> MetaMessagingSender.INSTAGRAM_LIMIT;
            case MESSENGER -> MetaMessagingSender.MESSENGER_LIMIT;
            case TELEGRAM -> TelegramBotApi.LIMIT;
            default -> Integer.MAX_VALUE;
        };
    }
}
