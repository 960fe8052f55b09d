package io.switchboard.web;

import io.switchboard.channel.ChannelAccount;
import io.switchboard.channel.ChannelAccounts;
import io.switchboard.channel.ChannelType;
import io.switchboard.channel.EvolutionConnections;
import io.switchboard.channel.TelegramBots;
import io.switchboard.channel.WebhookUrls;
import io.switchboard.refusal.InvalidInput;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Connecting a channel from its page: WhatsApp by QR code through Evolution API (connect, the QR code shown live
 * until it connects, reconnect, log out) and a Telegram bot's webhook registration.
 */
@Controller
@RequestMapping("/admin/channels/{id}")
class AdminChannelConnectionController {

    private final ChannelAccounts accounts;
    private final EvolutionConnections evolution;
    private final TelegramBots telegram;
    private final WebhookUrls urls;

    AdminChannelConnectionController(ChannelAccounts accounts, EvolutionConnections evolution, TelegramBots telegram, WebhookUrls urls) {
        this.accounts = accounts;
        this.evolution = evolution;
        this.telegram = telegram;
        this.urls = urls;
    }

    /** The connection panel alone, polled by the page while it is open. */
    @GetMapping("/connection")
    String connection(@PathVariable UUID id, Model model) {
        model.addAttribute("account", accounts.find(id));
        model.addAttribute("connection", evolution.of(id));
        return "admin/channel-connection :: evolution";
    }

    @PostMapping("/connect")
    String connect(@PathVariable UUID id, HttpServletRequest request, RedirectAttributes redirect) {
        ChannelAccount account = accounts.find(id);
        return act(id, redirect, () -> evolution.connect(id, urls.base(request) + "/webhooks/evolution/" + account.id()), "channel.connection.asked");
    }

    @PostMapping("/logout")
    String logout(@PathVariable UUID id, RedirectAttributes redirect) {
        return act(id, redirect, () -> evolution.logout(id), "channel.connection.loggedOut");
    }

    @PostMapping("/refresh_connection")
    String refresh(@PathVariable UUID id, RedirectAttributes redirect) {
        return act(id, redirect, () -> evolution.refresh(id), "channel.connection.refreshed");
    }

    @PostMapping("/register_webhook")
    String registerWebhook(@PathVariable UUID id, HttpServletRequest request, RedirectAttributes redirect) {
        ChannelAccount account = accounts.find(id);
        if (account.type() != ChannelType.TELEGRAM) {
            return "redirect:/admin/channels/" + id;
        }
        return act(id, redirect, () -> telegram.registerWebhook(id, urls.base(request) + "/webhooks/telegram/" + id),
                "channel.telegram.registered");
    }

    /** Runs the provider call; the provider's refusal is shown on the page as it said it. */
    private String act(UUID id, RedirectAttributes redirect, Runnable action, String notice) {
        try {
            action.run();
            redirect.addFlashAttribute("notice", notice);
            redirect.addFlashAttribute("noticeArg", "");
        } catch (InvalidInput e) {
            redirect.addFlashAttribute("providerRefusal", e.getMessage());
        }
        return "redirect:/admin/channels/" + id;
    }
}
