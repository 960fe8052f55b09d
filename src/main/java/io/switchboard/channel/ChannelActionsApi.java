package io.switchboard.channel;

import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Message;
import io.switchboard.conversation.SenderType;
import io.switchboard.identity.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * What channel accounts do beyond their settings: WhatsApp templates (listed and sent when the 24-hour window
 * closed), the Telegram webhook registration, and the Evolution instance's QR connection.
 */
@RestController
class ChannelActionsApi {

    private final WhatsAppTemplates templates;
    private final TelegramBots telegram;
    private final EvolutionConnections evolution;
    private final Conversations conversations;
    private final ChannelAccounts accounts;
    private final WebhookUrls urls;

    ChannelActionsApi(WhatsAppTemplates templates, TelegramBots telegram, EvolutionConnections evolution,
                      Conversations conversations, ChannelAccounts accounts, WebhookUrls urls) {
        this.templates = templates;
        this.telegram = telegram;
        this.evolution = evolution;
        this.conversations = conversations;
        this.accounts = accounts;
        this.urls = urls;
    }

    record TemplateView(String name, String language, String category, String body, String contentSid, int variables) {
    }

    record TemplatePage(List<TemplateView> items, String nextCursor) {
    }

    @Operation(summary = "Approved WhatsApp templates of a Twilio or Meta account (listed live from the provider)")
    @GetMapping("/api/v1/channel_accounts/{id}/templates")
    @PreAuthorize("hasRole('AGENT')")
    TemplatePage listTemplates(@PathVariable UUID id) {
        return new TemplatePage(templates.list(id).stream().map(t -> new TemplateView(t.name(), t.language(), t.category(), t.body(),
                t.contentSid(), t.variables())).toList(), null);
    }

    record WindowView(boolean applies, boolean closed, Instant lastCustomerMessageAt, Instant closesAt) {
    }

    /** Whether free text still reaches the customer on WhatsApp, or only an approved template does. */
    @Operation(summary = "The conversation's WhatsApp 24-hour window: closed means only an approved template can be sent")
    @GetMapping("/api/v1/conversations/{id}/whatsapp_window")
    @PreAuthorize("hasRole('AGENT')")
    WindowView window(@PathVariable UUID id) {
        Conversation conversation = conversations.find(id);
        Instant last = conversation.lastCustomerMessageAt();
        boolean applies = templates.windowApplies(conversation);
        return new WindowView(applies, templates.windowClosed(conversation), last,
                applies && last != null ? last.plus(WhatsAppTemplates.WINDOW) : null);
    }

    record TemplateSend(@NotBlank @Size(max = 512) String name, @Size(max = 20) String language, List<@Size(max = 1024) String> variables) {
    }

    record SentTemplate(UUID id, UUID conversationId, String content, String status, Instant createdAt) {
    }

    /** A person sending takes the conversation first, as with any reply; an integration sends as the system. */
    @Operation(summary = "Send an approved WhatsApp template with its variables (works when the 24-hour window is closed)")
    @PostMapping("/api/v1/conversations/{id}/send_template")
    @PreAuthorize("hasRole('AGENT')")
    @ResponseStatus(HttpStatus.CREATED)
    SentTemplate sendTemplate(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @Valid @RequestBody TemplateSend body) {
        Conversation conversation = conversations.find(id);
        if (caller.human() && !caller.userId().equals(conversation.agentId())) {
            conversations.assignToHuman(id, caller.userId(), caller.userId());
        }
        Message sent = templates.send(id, body.name(), body.language(), body.variables(),
                caller.human() ? SenderType.AGENT : SenderType.SYSTEM, caller.userId());
        return new SentTemplate(sent.id(), sent.conversationId(), sent.content(), sent.status().db(), sent.createdAt());
    }

    @Operation(summary = "Tell Telegram to post this bot's updates to our webhook, with the account's secret")
    @PostMapping("/api/v1/channel_accounts/{id}/register_webhook")
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, String> registerWebhook(@PathVariable UUID id, HttpServletRequest request) {
        String url = urls.telegramWebhook(urls.base(request), accounts.find(id));
        telegram.registerWebhook(id, url);
        return Map.of("webhook_url", url);
    }

    record ConnectionView(String state, String qrCode, String pairingCode, String detail, Instant updatedAt) {
        static ConnectionView of(EvolutionConnections.Connection c) {
            return new ConnectionView(c.state(), c.qrCode(), c.pairingCode(), c.detail(), c.updatedAt());
        }
    }

    @Operation(summary = "The WhatsApp connection of an Evolution account: connected, connecting, needs_qr or disconnected")
    @GetMapping("/api/v1/channel_accounts/{id}/connection")
    @PreAuthorize("hasRole('ADMIN')")
    ConnectionView connection(@PathVariable UUID id) {
        return ConnectionView.of(evolution.of(id));
    }

    @Operation(summary = "Connect (or reconnect) an Evolution instance: creates it when missing and returns the QR code to scan")
    @PostMapping("/api/v1/channel_accounts/{id}/connect")
    @PreAuthorize("hasRole('ADMIN')")
    ConnectionView connect(@PathVariable UUID id, HttpServletRequest request) {
        return ConnectionView.of(evolution.connect(id, urls.evolutionWebhook(urls.base(request), accounts.find(id))));
    }

    @Operation(summary = "Ask Evolution for the instance's connection state now")
    @PostMapping("/api/v1/channel_accounts/{id}/refresh_connection")
    @PreAuthorize("hasRole('ADMIN')")
    ConnectionView refresh(@PathVariable UUID id) {
        return ConnectionView.of(evolution.refresh(id));
    }

    @Operation(summary = "Log the Evolution instance out of WhatsApp")
    @PostMapping("/api/v1/channel_accounts/{id}/logout")
    @PreAuthorize("hasRole('ADMIN')")
    ConnectionView logout(@PathVariable UUID id) {
        return ConnectionView.of(evolution.logout(id));
    }
}
