package io.switchboard.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
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
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},
                "contacts":[{"profile":{"name":"João"},"wa_id":"5521988887777"}],
                "messages":[{"from":"5521988887777","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
                "timestamp":"1717000000","type":"text","text":{"body":"Oi, quero saber do meu pedido"}}]},"field":"messages"}]}]}"""
                .formatted(channels.metaPhoneNumberIdOf(account));
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
        String instance = channels.evolutionInstanceOf(account);
        String own = evolution(instance, "3EB0OWN", "5511977776666@s.whatsapp.net", true, "sent by us");
        String group = evolution(instance, "3EB0GRP", "120363025246125486@g.us", false, "group chatter");
        String customer = evolution(instance, "3EB0CUS", "5511977776666@s.whatsapp.net", false, "Olá, vocês entregam?");
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

    @Test
    void aMetaWebhookMixingAnotherNumberOfTheSameAppStoresOnlyThisAccountsChanges() {
        WireMockServer fake = ProviderFakes.fresh();
        var tenant = tenants.create("Meta Numbers");
        String ours = "4100" + System.nanoTime() % 100_000_000L;
        String theirs = "4200" + System.nanoTime() % 100_000_000L;
        UUID account = channels.create(tenant, Map.of("type", "meta_cloud", "name", "WhatsApp Cloud", "config", Map.of(
                "phone_number_id", ours, "access_token", "meta-token", "app_secret", Channels.META_SECRET,
                "verify_token", "verify-me")));
        fake.stubFor(WireMock.post(WireMock.urlPathMatching("/v[0-9.]+/" + ours + "/messages")).willReturn(WireMock.aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.ours-out-1\"}]}")));
        assertThat(channels.metaPost(account, metaChange(ours, "5521966660001", "wamid.ours-in-1", "Oi"),
                Channels.META_SECRET).status()).isEqualTo(200);
        String conversationId = api.get("/api/v1/conversations", tenant.agentToken()).json().get("items").get(0).get("id").asString();
        String replyId = api.post("/api/v1/conversations/" + conversationId + "/messages", tenant.agentToken(),
                Map.of("content", "Olá! Em que posso ajudar?")).json().get("id").asString();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> "sent".equals(outboundStatus(tenant, replyId)));

        // one signed webhook, two numbers of the same app: the other number's customer message and a status naming
        // our message (as a foreign system could), then ours
        String mixed = """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[%s,%s]}]}"""
                .formatted(changeValue(theirs, "5531955550002", "wamid.theirs-in-1", "Quero cancelar", "wamid.ours-out-1", "failed"),
                        changeValue(ours, "5521966660001", "wamid.ours-in-2", "Obrigado!", "wamid.ours-out-1", "delivered"));
        assertThat(channels.metaPost(account, mixed, Channels.META_SECRET).status()).isEqualTo(200);

        List<String> stored = TenantScope.call(tenant.id(), () -> jdbc.sql(
                "select provider_message_id from messages where direction = 'inbound' order by created_at").query(String.class).list());
        assertThat(stored).containsExactly("wamid.ours-in-1", "wamid.ours-in-2");
        assertThat(TenantScope.call(tenant.id(), () -> jdbc.sql("select count(*) from contact_identities where identifier = '5531955550002'")
                .query(Integer.class).single())).as("the other number's customer is not ours").isZero();
        assertThat(outboundStatus(tenant, replyId)).as("only our number's status applies").isEqualTo("delivered");
    }

    private String outboundStatus(Tenants.Tenant tenant, String messageId) {
        return TenantScope.call(tenant.id(), () -> jdbc.sql("select status from messages where id = ?::uuid").param(messageId)
                .query(String.class).single());
    }

    private static String metaChange(String phoneNumberId, String from, String wamid, String text) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[%s]}]}"""
                .formatted(changeValue(phoneNumberId, from, wamid, text, null, null));
    }

    /** One entry change of the Cloud API webhook: a customer message and, optionally, a status for an outbound id. */
    private static String changeValue(String phoneNumberId, String from, String wamid, String text, String statusId, String status) {
        String statuses = statusId == null ? "" : """
                ,"statuses":[{"id":"%s","status":"%s","timestamp":"1717000100","recipient_id":"%s"%s}]""".formatted(statusId, status, from,
                "failed".equals(status) ? ",\"errors\":[{\"code\":131047,\"title\":\"Re-engagement message\"}]" : "");
        return """
                {"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},
                "contacts":[{"profile":{"name":"Cliente"},"wa_id":"%s"}],
                "messages":[{"from":"%s","id":"%s","timestamp":"1717000000","type":"text","text":{"body":"%s"}}]%s},
                "field":"messages"}""".formatted(phoneNumberId, from, from, wamid, text, statuses.strip());
    }

    private int messageCount(Tenants.Tenant tenant) {
        return TenantScope.call(tenant.id(), () -> jdbc.sql("select count(*) from messages").query(Integer.class).single());
    }

    private static String evolution(String instance, String id, String jid, boolean fromMe, String text) {
        return """
                {"event":"messages.upsert","instance":"%s","data":{"key":{"remoteJid":"%s","fromMe":%s,"id":"%s"},
                "pushName":"Carla","message":{"conversation":"%s"},"messageType":"conversation","messageTimestamp":1717000000},
                "sender":"5511999990000@s.whatsapp.net","apikey":"evo-key"}""".formatted(instance, jid, fromMe, id, text);
    }
}
