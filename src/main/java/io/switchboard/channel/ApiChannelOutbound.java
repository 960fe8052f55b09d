package io.switchboard.channel;

import io.switchboard.channel.provider.SendResult;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Message;
import io.switchboard.outbound.OutboundGuard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Outbound messages of the API channel: POSTed as JSON to the account's {@code outbound_webhook_url}, signed
 * with {@code X-Switchboard-Signature: sha256=<hex HMAC of the body>} when a secret is set. Without a URL
 * the integration reads messages through the REST API, and the message counts as sent once stored.
 */
@Component
class ApiChannelOutbound {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ChannelAccounts accounts;
    private final JsonMapper json;
    private final OutboundGuard guard;

    ApiChannelOutbound(ChannelAccounts accounts, JsonMapper json, OutboundGuard guard) {
        this.accounts = accounts;
        this.json = json;
        this.guard = guard;
    }

    SendResult deliver(ChannelAccount account, Conversation conversation, Message message) {
        String url = account.configValue("outbound_webhook_url");
        if (url == null || url.isBlank()) {
            return new SendResult.Sent(null);
        }
        var refusal = guard.refusal(url);
        if (refusal.isPresent()) {
            return new SendResult.Permanent("refused_address", "outbound_webhook_url refused: " + refusal.get());
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", "message.created");
        payload.put("channel_account_id", account.id().toString());
        payload.put("conversation_id", conversation.id().toString());
        payload.put("message_id", message.id().toString());
        payload.put("sender_type", message.senderType().db());
        payload.put("content", message.content());
        payload.put("created_at", message.createdAt().toString());
        byte[] body = json.writeValueAsBytes(payload);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        String secret = accounts.secrets(account).get("outbound_webhook_secret");
        if (secret != null) {
            request.header("X-Switchboard-Signature", "sha256=" + hmacSha256Hex(secret, body));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new SendResult.Sent(null);
            }
            if (status == 429 || status >= 500) {
                return new SendResult.Retryable(String.valueOf(status), "the integration answered HTTP " + status, null);
            }
            return new SendResult.Permanent(String.valueOf(status), "the integration refused the message with HTTP " + status);
        } catch (java.io.IOException e) {
            return new SendResult.Retryable("network", "could not reach " + url + ": " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendResult.Retryable("interrupted", "delivery was interrupted", null);
        }
    }

    static String hmacSha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
