package io.switchboard.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class InboundWebhooksTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Channels channels;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aSignedTwilioWebhookIsAcknowledgedWithTwimlAndStoredWithItsContactAndOrigin() {
        var tenant = tenants.create("Twilio Inbound");
        UUID account = channels.twilioAccount(tenant, null);

        var response = channels.twilioMessage(account, "SM" + "a".repeat(32), "+5511999998888", "Olá, tudo bem?");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/xml");
        assertThat(response.body()).contains("<Response/>");
        var conversations = api.get("/api/v1/conversations", tenant.agentToken()).json().get("items");
        assertThat(conversations.size()).isEqualTo(1);
        var conversation = conversations.get(0);
        assertThat(conversation.get("contact").get("name").asString()).isEqualTo("Maria Silva");
        assertThat(conversation.get("contact").get("phone").asString()).isEqualTo("+5511999998888");
        assertThat(conversation.get("origin").get("channel_type").asString()).isEqualTo("twilio");
        assertThat(conversation.get("origin").get("queue_tab").asString()).isEqualTo("SUPPORT");
        var messages = api.get("/api/v1/conversations/" + conversation.get("id").asString() + "/messages", tenant.agentToken()).json().get("items");
        assertThat(messages.get(0).get("content").asString()).isEqualTo("Olá, tudo bem?");
        assertThat(messages.get(0).get("sender_type").asString()).isEqualTo("contact");
    }

    @Test
    void aTamperedBodyOrAWrongTokenIsRefusedWith403AndNothingIsStored() {
        var tenant = tenants.create("Twilio Tamper");
        UUID account = channels.twilioAccount(tenant, null);
        Map<String, String> params = Map.of("MessageSid", "SMtampered000000000000000000000001", "From", "whatsapp:+5511911112222",
                "Body", "original");
        String signature = io.switchboard.channel.provider.TwilioSignature.compute(
                api.baseUrl() + "/webhooks/twilio/" + account, params, Channels.TWILIO_TOKEN);
        var tampered = new java.util.HashMap<>(params);
        tampered.put("Body", "changed on the way");
        assertThat(api.postForm("/webhooks/twilio/" + account, Channels.form(tampered), Map.of("X-Twilio-Signature", signature)).status())
                .isEqualTo(403);
        assertThat(channels.twilioPost("/webhooks/twilio/" + account, params, "not-the-token").status()).isEqualTo(403);
        assertThat(api.postForm("/webhooks/twilio/" + account, Channels.form(params), Map.of()).status()).isEqualTo(403);
        assertThat(messageCount(tenant)).isZero();
    }

    @Test
    void theSameProviderMessageSentFiveTimesConcurrentlyIsStoredOnce() throws Exception {
        var tenant = tenants.create("Twilio Dup");
        UUID account = channels.twilioAccount(tenant, null);
        String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
        List<Callable<Integer>> deliveries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            deliveries.add(() -> channels.twilioMessage(account, sid, "+5511933334444", "pedido 123").status());
        }
        var pool = Executors.newFixedThreadPool(5);
        try {
            for (Future<Integer> status : pool.invokeAll(deliveries)) {
                assertThat(status.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(messageCount(tenant)).isEqualTo(1);
        assertThat(TenantScope.call(tenant.id(), () -> jdbc.sql("select count(*) from contacts").query(Integer.class).single())).isEqualTo(1);
        // hours later, a provider retry still changes nothing
        assertThat(channels.twilioMessage(account, sid, "+5511933334444", "pedido 123").status()).isEqualTo(200);
        assertThat(messageCount(tenant)).isEqualTo(1);
    }

    @Test
    void twilioMediaAndLocationAreKeptWithAReadableSummary() {
        var tenant = tenants.create("Twilio Media");
        UUID account = channels.twilioAccount(tenant, null);
        channels.twilioPost("/webhooks/twilio/" + account, Map.of("MessageSid", "SMmedia0000000000000000000000000001",
                "From", "whatsapp:+5511955556666", "Body", "", "NumMedia", "1",
                "MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages/MM1/Media/ME1",
                "MediaContentType0", "image/jpeg"), Channels.TWILIO_TOKEN);
        channels.twilioPost("/webhooks/twilio/" + account, Map.of("MessageSid", "SMloc00000000000000000000000000001",
                "From", "whatsapp:+5511955556666", "Body", "", "NumMedia", "0", "Latitude", "-23.561",
                "Longitude", "-46.656", "Address", "Av. Paulista, 1000"), Channels.TWILIO_TOKEN);
        var rows = TenantScope.call(tenant.id(), () -> jdbc.sql("select content_type, content, media::text from messages order by created_at")
                .query((rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3))).list());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get(0)).isEqualTo("image");
        assertThat(rows.get(0).get(2)).contains("image/jpeg").contains("Media/ME1");
        assertThat(rows.get(1).get(0)).isEqualTo("location");
        assertThat(rows.get(1).get(1)).contains("-23.561").contains("Av. Paulista");
    }

    @Test
    void metaVerifiesItsSubscriptionAndSignedEventsAreStored() {
        var tenant = tenants.create("Meta Inbound");
        UUID account = channels.metaAccount(tenant);
        var challenge = api.get("/webhooks/meta/" + account + "?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444", null);
        assertThat(challenge.status()).isEqualTo(200);
        assertThat(challenge.body()).isEqualTo("1158201444");
        assertThat(api.get("/webhooks/meta/" + account + "?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", null).status())
                .isEqualTo(403);

        String event = """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
                "contacts":[{"profile":{"name":"João"},"wa_id":"5521988887777"}],
                "messages":[{"from":"5521988887777","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
                "timestamp":"1717000000","type":"text","text":{"body":"Oi, quero saber do meu pedido"}}]},"field":"messages"}]}]}""";
        assertThat(channels.metaPost(account, event, Channels.META_SECRET).status()).isEqualTo(200);
        assertThat(channels.metaPost(account, event.replace("pedido", "pedidos"), "wrong-secret").status()).isEqualTo(403);
        assertThat(api.postRaw("/webhooks/meta/" + account, "application/json", event.getBytes(StandardCharsets.UTF_8), Map.of()).status())
                .isEqualTo(403);
        assertThat(messageCount(tenant)).isEqualTo(1);
    }

    @Test
    void evolutionNeedsItsSecretSkipsOwnAndGroupMessagesAndQueuesToTheWhatsappTab() {
        var tenant = tenants.create("Evolution Inbound");
        UUID account = channels.evolutionAccount(tenant);
        String own = evolution("3EB0OWN", "5511977776666@s.whatsapp.net", true, "sent by us");
        String group = evolution("3EB0GRP", "120363025246125486@g.us", false, "group chatter");
        String customer = evolution("3EB0CUS", "5511977776666@s.whatsapp.net", false, "Olá, vocês entregam?");
        String path = "/webhooks/evolution/" + account;
        assertThat(api.postRaw(path, "application/json", customer.getBytes(StandardCharsets.UTF_8), Map.of()).status()).isEqualTo(403);
        for (String body : List.of(own, group, customer)) {
            assertThat(api.postRaw(path + "?secret=" + Channels.EVOLUTION_SECRET, "application/json",
                    body.getBytes(StandardCharsets.UTF_8), Map.of()).status()).isEqualTo(200);
        }
        assertThat(messageCount(tenant)).isEqualTo(1);
        var conversation = api.get("/api/v1/conversations", tenant.agentToken()).json().get("items").get(0);
        assertThat(conversation.get("origin").get("queue_tab").asString()).isEqualTo("WHATSAPP");
    }

    @Test
    void malformedPayloadsAre400AndUnknownAccounts404() {
        var tenant = tenants.create("Malformed Inbound");
        UUID meta = channels.metaAccount(tenant);
        var notJson = channels.metaPost(meta, "{not json", Channels.META_SECRET);
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.header("Content-Type")).startsWith("application/problem+json");
        assertThat(notJson.json().get("detail").asString()).containsIgnoringCase("json");
        UUID twilio = channels.twilioAccount(tenant, null);
        var noSid = channels.twilioPost("/webhooks/twilio/" + twilio, Map.of("From", "whatsapp:+5511900000000", "Body", "x"),
                Channels.TWILIO_TOKEN);
        assertThat(noSid.status()).isEqualTo(400);
        assertThat(noSid.json().get("detail").asString()).contains("MessageSid");
        assertThat(channels.twilioMessage(UUID.randomUUID(), "SMx", "+5511900000000", "x").status()).isEqualTo(404);
        assertThat(messageCount(tenant)).isZero();
    }

    @Test
    void theApiChannelTakesMessagesWithATokenAndIgnoresARetriedExternalId() {
        var tenant = tenants.create("Api Inbound");
        UUID account = channels.create(tenant, Map.of("type", "api", "name", "Site backend"));
        Map<String, Object> body = Map.of("external_id", "ext-1", "from", Map.of("identifier", "user-42", "name", "Ana"),
                "text", "Preciso de ajuda");
        assertThat(api.post("/api/v1/channels/api/" + account + "/messages", null, body).status()).isEqualTo(401);
        var first = api.post("/api/v1/channels/api/" + account + "/messages", tenant.integrationToken(), body);
        assertThat(first.status()).isEqualTo(201);
        var again = api.post("/api/v1/channels/api/" + account + "/messages", tenant.integrationToken(), body);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();
        assertThat(again.json().get("message_id").asString()).isEqualTo(first.json().get("message_id").asString());
        var other = tenants.create("Api Other");
        assertThat(api.post("/api/v1/channels/api/" + account + "/messages", other.integrationToken(), body).status()).isEqualTo(404);
    }

    @Test
    void channelAccountSecretsAreWriteOnlyAndWebhookUrlsAreShown() {
        var tenant = tenants.create("Secrets");
        UUID account = channels.twilioAccount(tenant, null);
        var view = api.get("/api/v1/channel_accounts/" + account, tenant.adminToken());
        assertThat(view.body()).doesNotContain(Channels.TWILIO_TOKEN);
        assertThat(view.json().get("secrets_set").toString()).contains("auth_token");
        assertThat(view.json().get("webhook_urls").get("messages").asString()).endsWith("/webhooks/twilio/" + account);
        String stored = TenantScope.call(tenant.id(), () -> jdbc.sql("select coalesce(secrets, '') || config::text from channel_accounts where id = ?")
                .param(account).query(String.class).single());
        assertThat(stored).doesNotContain(Channels.TWILIO_TOKEN);
        var missing = api.post("/api/v1/channel_accounts", tenant.adminToken(), Map.of("type", "twilio", "name", "x", "config", Map.of()));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("detail").asString()).contains("account_sid").contains("auth_token");
        assertThat(api.get("/api/v1/channel_accounts", tenant.agentToken()).status()).isEqualTo(403);
    }

    private int messageCount(Tenants.Tenant tenant) {
        return TenantScope.call(tenant.id(), () -> jdbc.sql("select count(*) from messages").query(Integer.class).single());
    }

    private static String evolution(String id, String jid, boolean fromMe, String text) {
        return """
                {"event":"messages.upsert","instance":"inst1","data":{"key":{"remoteJid":"%s","fromMe":%s,"id":"%s"},
                "pushName":"Carla","message":{"conversation":"%s"},"messageType":"conversation","messageTimestamp":1717000000},
                "sender":"5511999990000@s.whatsapp.net","apikey":"evo-key"}""".formatted(jid, fromMe, id, text);
    }
}
