package io.switchboard.support;

import io.switchboard.channel.provider.MetaSignature;
import io.switchboard.channel.provider.TwilioSignature;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.boot.test.context.TestComponent;

/**
 * Creates channel accounts through the API and plays the providers: signed webhooks in their real formats.
 *
 * <p>Every test organization gets its own provider identity — Twilio account SID, Meta phone number id,
 * Evolution instance — derived from its id, so a test that counts what reached the shared WireMock can
 * filter on its own account and never counts another test's traffic.
 */
@TestComponent
public class Channels {

    public static final String TWILIO_TOKEN = "twilio-auth-token-123";
    public static final String META_SECRET = "meta-app-secret";
    public static final String EVOLUTION_SECRET = "evolution-webhook-secret";

    private final ApiClient api;
    /** The provider identity (account SID, phone number id, instance) of every account created here. */
    private final Map<UUID, String> providerIds = new ConcurrentHashMap<>();

    Channels(ApiClient api) {
        this.api = api;
    }

    /** The organization's own Twilio account SID, shaped like a real one: "AC" and 32 hex digits. */
    public static String twilioSid(Tenants.Tenant tenant) {
        return "AC" + tenant.id().toString().replace("-", "");
    }

    /** Where Twilio takes the messages of one account: {@code POST /2010-04-01/Accounts/{sid}/Messages.json}. */
    public static String twilioMessagesPath(String accountSid) {
        return "/2010-04-01/Accounts/" + accountSid + "/Messages.json";
    }

    /** The organization's own Meta (WhatsApp Cloud API) phone number id: 15 digits, as Meta's are. */
    public static String metaPhoneNumberId(Tenants.Tenant tenant) {
        return "10" + String.format("%013d", Math.floorMod(tenant.id().getMostSignificantBits(), 10_000_000_000_000L));
    }

    /** Where Meta takes the messages of one phone number (the Graph API version is matched loosely). */
    public static String metaMessagesPathPattern(String phoneNumberId) {
        return "/v[0-9.]+/" + phoneNumberId + "/messages";
    }

    /** The organization's own Evolution API instance name. */
    public static String evolutionInstance(Tenants.Tenant tenant) {
        return "inst-" + tenant.id().toString().substring(0, 8);
    }

    /** Where Evolution takes the text messages of one instance. */
    public static String evolutionSendTextPath(String instance) {
        return "/message/sendText/" + instance;
    }

    public UUID twilioAccount(Tenants.Tenant tenant, UUID defaultAiAgentId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "twilio");
        body.put("name", "WhatsApp Twilio");
        body.put("config", Map.of("account_sid", twilioSid(tenant), "auth_token", TWILIO_TOKEN, "from", "whatsapp:+14155238886"));
        if (defaultAiAgentId != null) {
            body.put("default_ai_agent_id", defaultAiAgentId);
        }
        return create(tenant, body);
    }

    public UUID metaAccount(Tenants.Tenant tenant) {
        return create(tenant, Map.of("type", "meta_cloud", "name", "WhatsApp Cloud", "config", Map.of(
                "phone_number_id", metaPhoneNumberId(tenant), "access_token", "meta-token", "app_secret", META_SECRET,
                "verify_token", "verify-me")));
    }

    public UUID evolutionAccount(Tenants.Tenant tenant) {
        return create(tenant, Map.of("type", "evolution", "name", "WhatsApp QR", "config", Map.of(
                "base_url", ProviderFakes.baseUrl(), "instance", evolutionInstance(tenant), "api_key", "evo-key",
                "webhook_secret", EVOLUTION_SECRET)));
    }

    // --- issue 15: Instagram, Messenger and Telegram accounts, each with its own provider identity ---

    /** The organization's own Instagram professional account id (entry.id of its webhooks). */
    public static String instagramAccountId(Tenants.Tenant tenant) {
        return "1784" + String.format("%013d", Math.floorMod(tenant.id().getLeastSignificantBits(), 10_000_000_000_000L));
    }

    /** The organization's own Facebook page id (entry.id of its Messenger webhooks). */
    public static String pageId(Tenants.Tenant tenant) {
        return "1066" + String.format("%013d", Math.floorMod(tenant.id().getMostSignificantBits(), 10_000_000_000_000L));
    }

    /** The organization's own page access token: the fake Graph API recognizes the tenant's sends by it. */
    public static String pageToken(Tenants.Tenant tenant) {
        return "EAAG" + tenant.id().toString().replace("-", "");
    }

    /** The organization's own bot token, shaped like Telegram's ({@code <bot id>:<secret>}). */
    public static String telegramToken(Tenants.Tenant tenant) {
        return "7" + String.format("%09d", Math.floorMod(tenant.id().getMostSignificantBits(), 1_000_000_000L)) + ":AA"
                + tenant.id().toString().replace("-", "");
    }

    public static final String TELEGRAM_SECRET = "telegram-webhook-secret_1";

    public UUID instagramAccount(Tenants.Tenant tenant, UUID defaultAiAgentId) {
        return withAgent(tenant, "instagram", "Instagram", Map.of("instagram_account_id", instagramAccountId(tenant),
                "page_access_token", pageToken(tenant), "app_secret", META_SECRET, "verify_token", "verify-me"), defaultAiAgentId);
    }

    public UUID messengerAccount(Tenants.Tenant tenant, UUID defaultAiAgentId) {
        return withAgent(tenant, "messenger", "Messenger", Map.of("page_id", pageId(tenant),
                "page_access_token", pageToken(tenant), "app_secret", META_SECRET, "verify_token", "verify-me"), defaultAiAgentId);
    }

    public UUID telegramAccount(Tenants.Tenant tenant, UUID defaultAiAgentId) {
        return withAgent(tenant, "telegram", "Telegram bot", Map.of("bot_token", telegramToken(tenant),
                "webhook_secret", TELEGRAM_SECRET), defaultAiAgentId);
    }

    private UUID withAgent(Tenants.Tenant tenant, String type, String name, Map<String, Object> config, UUID defaultAiAgentId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("name", name);
        body.put("config", config);
        if (defaultAiAgentId != null) {
            body.put("default_ai_agent_id", defaultAiAgentId);
        }
        return create(tenant, body);
    }

    /** A Messenger Platform webhook ({@code object} instagram or page), signed as Meta signs it. */
    public ApiClient.Response metaMessagingPost(String kind, UUID accountId, String json, String secret) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return api.postRaw("/webhooks/" + kind + "/" + accountId, "application/json", body,
                Map.of("X-Hub-Signature-256", MetaSignature.compute(body, secret)));
    }

    /** One customer text in Meta's Messenger Platform format. */
    public static String metaMessagingText(String object, String ourId, String senderId, String mid, String text) {
        return """
                {"object":"%s","entry":[{"id":"%s","time":1733140000000,"messaging":[{"sender":{"id":"%s"},
                 "recipient":{"id":"%s"},"timestamp":1733140000000,"message":{"mid":"%s","text":%s}}]}]}"""
                .formatted(object, ourId, senderId, ourId, mid, AiFixtures.quote(text));
    }

    /** A Telegram update of a private chat, posted with the secret Telegram would put in its header. */
    public ApiClient.Response telegramMessage(UUID accountId, long updateId, long chatId, long messageId, String text, String secret) {
        String json = """
                {"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,"first_name":"Maria",
                 "last_name":"Silva","username":"mariasilva","language_code":"pt-br"},"chat":{"id":%d,"first_name":"Maria",
                 "last_name":"Silva","username":"mariasilva","type":"private"},"date":1733140000,"text":%s}}"""
                .formatted(updateId, messageId, chatId, chatId, AiFixtures.quote(text));
        return api.postRaw("/webhooks/telegram/" + accountId, "application/json", json.getBytes(StandardCharsets.UTF_8),
                secret == null ? Map.of() : Map.of("X-Telegram-Bot-Api-Secret-Token", secret));
    }

    public UUID create(Tenants.Tenant tenant, Map<String, Object> body) {
        var created = api.post("/api/v1/channel_accounts", tenant.adminToken(), body);
        if (created.status() != 201) {
            throw new IllegalStateException("channel account not created: " + created.status() + " " + created.body());
        }
        UUID id = UUID.fromString(created.json().get("id").asString());
        if (body.get("config") instanceof Map<?, ?> config) {
            for (String key : List.of("account_sid", "phone_number_id", "instance")) {
                if (config.get(key) instanceof String value) {
                    providerIds.put(id, value);
                }
            }
        }
        return id;
    }

    /** The Twilio account SID a Twilio channel account was created with here. */
    public String twilioSidOf(UUID accountId) {
        return providerId(accountId);
    }

    /** The phone number id a Meta channel account was created with here (a webhook's metadata.phone_number_id). */
    public String metaPhoneNumberIdOf(UUID accountId) {
        return providerId(accountId);
    }

    /** The instance an Evolution channel account was created with here (a webhook's "instance"). */
    public String evolutionInstanceOf(UUID accountId) {
        return providerId(accountId);
    }

    private String providerId(UUID accountId) {
        String id = providerIds.get(accountId);
        if (id == null) {
            throw new IllegalArgumentException("channel account " + accountId + " was not created through Channels");
        }
        return id;
    }

    /** A Twilio WhatsApp message webhook, signed as Twilio signs it. */
    public ApiClient.Response twilioMessage(UUID accountId, String messageSid, String from, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", messageSid);
        params.put("SmsMessageSid", messageSid);
        params.put("AccountSid", providerIds.getOrDefault(accountId, "AC00000000000000000000000000000000"));
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
        params.put("AccountSid", providerIds.getOrDefault(accountId, "AC00000000000000000000000000000000"));
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
