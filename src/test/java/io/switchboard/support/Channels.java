package io.switchboard.support;

import io.switchboard.channel.provider.MetaSignature;
import io.switchboard.channel.provider.TwilioSignature;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.boot.test.context.TestComponent;

/** Creates channel accounts through the API and plays the providers: signed webhooks in their real formats. */
@TestComponent
public class Channels {

    public static final String TWILIO_TOKEN = "twilio-auth-token-123";
    public static final String META_SECRET = "meta-app-secret";
    public static final String EVOLUTION_SECRET = "evolution-webhook-secret";

    private final ApiClient api;

    Channels(ApiClient api) {
        this.api = api;
    }

    public UUID twilioAccount(Tenants.Tenant tenant, UUID defaultAiAgentId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "twilio");
        body.put("name", "WhatsApp Twilio");
        body.put("config", Map.of("account_sid", "AC123", "auth_token", TWILIO_TOKEN, "from", "whatsapp:+14155238886"));
        if (defaultAiAgentId != null) {
            body.put("default_ai_agent_id", defaultAiAgentId);
        }
        return create(tenant, body);
    }

    public UUID metaAccount(Tenants.Tenant tenant) {
        return create(tenant, Map.of("type", "meta_cloud", "name", "WhatsApp Cloud", "config", Map.of(
                "phone_number_id", "106540352242922", "access_token", "meta-token", "app_secret", META_SECRET,
                "verify_token", "verify-me")));
    }

    public UUID evolutionAccount(Tenants.Tenant tenant) {
        return create(tenant, Map.of("type", "evolution", "name", "WhatsApp QR", "config", Map.of(
                "base_url", ProviderFakes.baseUrl(), "instance", "inst1", "api_key", "evo-key", "webhook_secret", EVOLUTION_SECRET)));
    }

    public UUID create(Tenants.Tenant tenant, Map<String, Object> body) {
        var created = api.post("/api/v1/channel_accounts", tenant.adminToken(), body);
        if (created.status() != 201) {
            throw new IllegalStateException("channel account not created: " + created.status() + " " + created.body());
        }
        return UUID.fromString(created.json().get("id").asString());
    }

    /** A Twilio WhatsApp message webhook, signed as Twilio signs it. */
    public ApiClient.Response twilioMessage(UUID accountId, String messageSid, String from, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", messageSid);
        params.put("SmsMessageSid", messageSid);
        params.put("AccountSid", "AC123");
        params.put("From", "whatsapp:" + from);
        params.put("To", "whatsapp:+14155238886");
        params.put("Body", body);
        params.put("NumMedia", "0");
        params.put("ProfileName", "Maria Silva");
        params.put("WaId", from.replace("+", ""));
        params.put("SmsStatus", "received");
        params.put("ApiVersion", "2010-04-01");
        return twilioPost("/webhooks/twilio/" + accountId, params, TWILIO_TOKEN);
    }

    public ApiClient.Response twilioStatus(UUID accountId, String messageSid, String status, String errorCode) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", messageSid);
        params.put("MessageStatus", status);
        params.put("AccountSid", "AC123");
        params.put("ChannelPrefix", "whatsapp");
        if (errorCode != null) {
            params.put("ErrorCode", errorCode);
        }
        return twilioPost("/webhooks/twilio/" + accountId + "/status", params, TWILIO_TOKEN);
    }

    public ApiClient.Response twilioPost(String path, Map<String, String> params, String token) {
        String signature = TwilioSignature.compute(api.baseUrl() + path, params, token);
        return api.postForm(path, form(params), Map.of("X-Twilio-Signature", signature));
    }

    public ApiClient.Response metaPost(UUID accountId, String json, String secret) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return api.postRaw("/webhooks/meta/" + accountId, "application/json", body,
                Map.of("X-Hub-Signature-256", MetaSignature.compute(body, secret)));
    }

    public static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
