package io.switchboard.media;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.MediaFakes;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.Tenants;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A person sends files through the API: Evolution and Meta receive media messages; refused files say why. */
@IntegrationTest
class OutboundMediaTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Channels channels;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    WireMockServer fake;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
    }

    @Test
    void aPdfSentToAnEvolutionCustomerGoesThroughSendMediaWithItsNameAndASignedAddress() throws Exception {
        var tenant = tenants.create("Outbound Evolution");
        UUID account = channels.evolutionAccount(tenant);
        String instance = channels.evolutionInstanceOf(account);
        fake.stubFor(post(urlPathEqualTo("/message/sendMedia/" + instance)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"key\":{\"remoteJid\":\"5511955554444@s.whatsapp.net\",\"fromMe\":true,\"id\":\"3EB0OUT1\"},\"status\":\"PENDING\"}")));
        api.postRaw("/webhooks/evolution/" + account + "?secret=" + Channels.EVOLUTION_SECRET, "application/json", """
                {"event":"messages.upsert","instance":"%s","data":{"key":{"remoteJid":"5511955554444@s.whatsapp.net","fromMe":false,"id":"3EB0IN%s"},
                 "pushName":"Maria","message":{"conversation":"me manda o boleto"},"messageType":"conversation","messageTimestamp":1717000000}}"""
                .formatted(instance, UUID.randomUUID().toString().substring(0, 8)).getBytes(StandardCharsets.UTF_8), Map.of());

        var sent = attach(tenant, conversation(tenant), "boleto.pdf", "application/pdf", MediaFakes.PDF, "Segue o boleto");

        assertThat(sent.status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> !fake.findAll(postRequestedFor(urlPathEqualTo("/message/sendMedia/" + instance))).isEmpty());
        LoggedRequest request = fake.findAll(postRequestedFor(urlPathEqualTo("/message/sendMedia/" + instance))).get(0);
        JsonNode body = json.readTree(request.getBodyAsString());
        assertThat(body.get("number").asString()).isEqualTo("5511955554444");
        assertThat(body.get("mediatype").asString()).isEqualTo("document");
        assertThat(body.get("fileName").asString()).isEqualTo("boleto.pdf");
        assertThat(body.get("caption").asString()).isEqualTo("Segue o boleto");
        assertThat(fetch(body.get("media").asString())).isEqualTo(MediaFakes.PDF);
        await().atMost(Duration.ofSeconds(10)).until(() -> "sent".equals(tenant.scoped(() -> jdbc.sql(
                "select status from messages where direction = 'outbound'").query(String.class).single())));
    }

    @Test
    void aPhotoSentToAMetaCustomerIsUploadedThenSentByItsMediaId() throws Exception {
        var tenant = tenants.create("Outbound Meta");
        UUID account = channels.metaAccount(tenant);
        String phone = channels.metaPhoneNumberIdOf(account);
        fake.stubFor(post(urlPathMatching(Channels.metaMessagesPathPattern(phone))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"5511944441111\",\"wa_id\":\"5511944441111\"}],\"messages\":[{\"id\":\"wamid.OUT1\"}]}")));
        fake.stubFor(post(urlPathMatching("/v[0-9.]+/" + phone + "/media")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"1037543291543636\"}")));
        channels.metaPost(account, """
                {"object":"whatsapp_business_account","entry":[{"id":"WABA1","changes":[{"value":{"messaging_product":"whatsapp",
                 "metadata":{"display_phone_number":"15550001111","phone_number_id":"%s"},
                 "contacts":[{"profile":{"name":"Maria"},"wa_id":"5511944441111"}],
                 "messages":[{"from":"5511944441111","id":"wamid.IN%s","timestamp":"1717000000","type":"text","text":{"body":"oi"}}]},
                 "field":"messages"}]}]}""".formatted(phone, UUID.randomUUID()), Channels.META_SECRET);

        assertThat(attach(tenant, conversation(tenant), "foto.png", "image/png", MediaFakes.PNG, null).status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(20)).until(() -> !fake.findAll(postRequestedFor(urlPathMatching(Channels.metaMessagesPathPattern(phone)))).isEmpty());
        JsonNode body = json.readTree(fake.findAll(postRequestedFor(urlPathMatching(Channels.metaMessagesPathPattern(phone)))).get(0).getBodyAsString());
        assertThat(body.get("type").asString()).isEqualTo("image");
        assertThat(body.get("image").get("id").asString()).isEqualTo("1037543291543636");
        LoggedRequest upload = fake.findAll(postRequestedFor(urlPathMatching("/v[0-9.]+/" + phone + "/media"))).get(0);
        assertThat(upload.getHeader("Authorization")).isEqualTo("Bearer meta-token");
        assertThat(upload.getHeader("Content-Type")).startsWith("multipart/form-data");
        String form = new String(upload.getBody(), StandardCharsets.ISO_8859_1);
        assertThat(form).contains("name=\"messaging_product\"").contains("whatsapp").contains("filename=\"foto.png\"")
                .contains(new String(MediaFakes.PNG, StandardCharsets.ISO_8859_1));
    }

    @Test
    void aPdfSentToATelegramChatGoesThroughSendDocument() throws Exception {
        var tenant = tenants.create("Outbound Telegram");
        UUID account = channels.telegramAccount(tenant, null);
        String token = Channels.telegramToken(tenant);
        fake.stubFor(post(urlPathEqualTo("/bot" + token + "/sendDocument")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true,\"result\":{\"message_id\":91,\"date\":1733140001}}")));
        channels.telegramMessage(account, Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L), 777001L, 12L,
                "manda o cardápio", Channels.TELEGRAM_SECRET);

        assertThat(attach(tenant, conversation(tenant), "cardapio.pdf", "application/pdf", MediaFakes.PDF, "Nosso cardápio").status())
                .isEqualTo(201);

        await().atMost(Duration.ofSeconds(20)).until(() -> !fake.findAll(postRequestedFor(urlPathEqualTo("/bot" + token + "/sendDocument"))).isEmpty());
        JsonNode body = json.readTree(fake.findAll(postRequestedFor(urlPathEqualTo("/bot" + token + "/sendDocument"))).get(0).getBodyAsString());
        assertThat(body.get("chat_id").asString()).isEqualTo("777001");
        assertThat(body.get("caption").asString()).isEqualTo("Nosso cardápio");
        assertThat(fetch(body.get("document").asString())).isEqualTo(MediaFakes.PDF);
    }

    @Test
    void aWebChatVisitorSeesThePhotoAPersonSent() throws Exception {
        var tenant = tenants.create("Outbound Webchat");
        UUID account = channels.create(tenant, Map.of("type", "webchat", "name", "Site"));
        var session = api.post("/webchat/" + account + "/sessions", null, Map.of("name", "Ana"));
        String token = session.json().get("token").asString();
        var headers = Map.of("X-Webchat-Token", token);
        api.postRaw("/webchat/" + account + "/messages", "application/json", "{\"text\":\"tem foto do produto?\"}".getBytes(StandardCharsets.UTF_8),
                headers);

        assertThat(attach(tenant, conversation(tenant), "produto.png", "image/png", MediaFakes.PNG, "Aqui está").status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(20)).until(() -> api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/webchat/" + account
                + "/messages")).header("X-Webchat-Token", token).build()).body().contains("/webhooks/media/"));
        JsonNode messages = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/webchat/" + account + "/messages"))
                .header("X-Webchat-Token", token).build()).json();
        JsonNode photo = messages.get(messages.size() - 1);
        assertThat(photo.get("content").asString()).isEqualTo("Aqui está");
        assertThat(photo.get("media").get(0).get("kind").asString()).isEqualTo("image");
        assertThat(fetch(photo.get("media").get(0).get("url").asString())).isEqualTo(MediaFakes.PNG);
    }

    @Test
    void aFileOverTheLimitOrOfARefusedTypeGetsAClearErrorAndNothingIsSent() {
        var tenant = tenants.create("Outbound Refused");
        UUID account = channels.twilioAccount(tenant, null);
        channels.twilioMessage(account, "SM" + UUID.randomUUID().toString().replace("-", ""), "+5511933332222", "oi");
        UUID conversation = conversation(tenant);

        var tooLarge = attach(tenant, conversation, "video.mp4", "video/mp4", new byte[16 * 1024 * 1024 + 1], null);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.header("Content-Type")).startsWith("application/problem+json");
        assertThat(tooLarge.json().get("detail").asString()).contains("the limit is 16.0 MB");

        var program = attach(tenant, conversation, "setup.exe", "application/x-msdownload", "MZ".getBytes(), null);
        assertThat(program.status()).isEqualTo(415);
        assertThat(program.json().get("detail").asString()).contains("application/x-msdownload").contains("not accepted");

        var disguised = attach(tenant, conversation, "boleto.pdf", "application/pdf", "MZ\u0090\u0000 a Windows program".getBytes(), null);
        assertThat(disguised.status()).as("a program named and declared as a PDF").isEqualTo(415);
        assertThat(disguised.json().get("detail").asString()).contains("program");
        var notAPhoto = attach(tenant, conversation, "foto.png", "image/png", "just some text".getBytes(), null);
        assertThat(notAPhoto.status()).isEqualTo(415);
        assertThat(notAPhoto.json().get("detail").asString()).contains("image/png").contains("content is not");

        var empty = attach(tenant, conversation, "empty.pdf", "application/pdf", new byte[0], null);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(tenant.scoped(() -> jdbc.sql("select count(*) from messages where direction = 'outbound'").query(Integer.class).single())).isZero();
        assertThat(tenant.scoped(() -> jdbc.sql("select count(*) from media_files").query(Integer.class).single())).isZero();
    }

    private UUID conversation(Tenants.Tenant tenant) {
        return tenant.scoped(() -> jdbc.sql("select id from conversations").query(UUID.class).single());
    }

    private ApiClient.Response attach(Tenants.Tenant tenant, UUID conversation, String name, String type, byte[] bytes, String caption) {
        String boundary = "b" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"conversation_id\"\r\n\r\n" + conversation + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        if (caption != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n" + caption + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\nContent-Type: "
                + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return api.postRaw("/api/v1/attachments", "multipart/form-data; boundary=" + boundary, body.toByteArray(),
                Map.of("Authorization", "Bearer " + tenant.agentToken()));
    }

    /** What the provider gets from the address it was handed: no session, the signature is the permission. */
    private byte[] fetch(String url) throws Exception {
        String path = url.substring(url.indexOf("/webhooks/media/"));
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
