package io.switchboard.channel;

import io.switchboard.refusal.InvalidInput;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Telegram bots learn where to post updates from us: {@code setWebhook} with the account's URL and secret. */
@Service
public class TelegramBots {

    private final ChannelAccounts accounts;
    private final ProviderSenders senders;

    TelegramBots(ChannelAccounts accounts, ProviderSenders senders) {
        this.accounts = accounts;
        this.senders = senders;
    }

    /**
     * Registers {@code webhookUrl} with Telegram for this bot.
     *
     * @throws InvalidInput when the account is no Telegram bot or Telegram refuses (its description says why)
     */
    public void registerWebhook(UUID accountId, String webhookUrl) {
        ChannelAccount account = accounts.find(accountId);
        if (account.type() != ChannelType.TELEGRAM) {
            throw new InvalidInput("channel account " + accountId + " is not a Telegram bot");
        }
        var secrets = accounts.secrets(account);
        senders.telegram().setWebhook(secrets.get("bot_token"), webhookUrl, secrets.get("webhook_secret"))
                .ifPresent(refusal -> {
                    throw new InvalidInput(refusal);
                });
    }
}
