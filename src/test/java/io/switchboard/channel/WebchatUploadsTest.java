package io.switchboard.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.switchboard.support.AiFixtures.COMPLETIONS;
import static io.switchboard.support.AiFixtures.answer;
import static io.switchboard.support.AiFixtures.completionRequests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.MediaFakes;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.RawHttp;
import io.switchboard.support.SignedInSession;
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

/**
 * A web chat visitor sends a photo or a PDF: it becomes their message once (whatever the retries), the AI sees it as
 * it sees a WhatsApp photo, people of the team open it and nobody else does; a file too large, a type not taken or a
 * disguised program is refused with a problem saying why, and nothing is kept.
 */
@IntegrationTest
class WebchatUploadsTest {

    static final Map<String, Object> FAST = Map.of("context_timer_seconds", 1, "response_delay_min", 0, "response_delay_max", 0);

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Tenants tenants;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Autowired
    JdbcClient jdbc;

    WireMockServer fake;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Que bolo lindo! O pedido 4521 sai hoje.", 100, 0, 20)));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).withRequestBody(containing("image_url"))
                .willReturn(answer("Foto de um bolo de cenoura com cobertura de chocolate, etiqueta 'pedido 4521'.", 800, 0, 30)));
    }

    @Test
    void aVisitorsPhotoIsTheirMessageOnceTheAiSeesItAndOnlyTheTeamOpensIt() throws Exception {
        var setup = fixtures.create("Webchat Photo", FAST, List.of(), true);
        var tenant = setup.tenant();
        UUID account = channels.create(tenant, Map.of("type", "webchat", "name", "Site", "default_ai_agent_id", setup.agentId()));
        String token = session(account);

        var sent = upload(account, token, "bolo.png", "image/png", MediaFakes.PNG, null, "c-1");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(sent.json().get("sender_type").asString()).isEqualTo("contact");
        assertThat(sent.json().get("content").isNull()).as("the file shows as the file, not as '[image]'").isTrue();
        JsonNode file = sent.json().get("media").get(0);
        assertThat(file.get("kind").asString()).isEqualTo("image");
        assertThat(file.get("filename").asString()).isEqualTo("bolo.png");
        assertThat(fetch(file.get("url").asString())).as("the visitor's browser loads it back").isEqualTo(MediaFakes.PNG);

        var again = upload(account, token, "bolo.png", "image/png", MediaFakes.PNG, null, "c-1");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asString()).as("the same client_id is the same message").isEqualTo(sent.json().get("id").asString());

        String messageId = sent.json().get("id").asString();
        assertThat(tenant.scoped(() -> jdbc.sql("select count(*) from messages where direction = 'inbound' and content_type = 'image'")
                .query(Integer.class).single())).isEqualTo(1);
        record Row(String messageId, String direction, String status, String contentType, long size) {
        }
        List<Row> files = tenant.scoped(() -> jdbc.sql("select message_id::text, direction, status, content_type, size_bytes from media_files")
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5))).list());
        assertThat(files).containsExactly(new Row(messageId, "inbound", "ready", "image/png", MediaFakes.PNG.length));

        // the AI: described by the agent's vision model, the description is what the answer sees (as for WhatsApp)
        await().atMost(Duration.ofSeconds(30)).until(() -> widgetMessages(account, token).toString().contains("pedido 4521 sai hoje"));
        var completions = completionRequests(fake, setup);
        assertThat(completions).anyMatch(r -> r.getBodyAsString().contains("data:image/png;base64,"));
        assertThat(completions.get(completions.size() - 1).getBodyAsString()).contains("bolo de cenoura com cobertura de chocolate")
                .doesNotContain("base64");

        // the team: the API and the inbox (a signed-in person) open it; another organization does not
        JsonNode media = api.get("/api/v1/messages/" + messageId + "/media", tenant.agentToken()).json().get("items");
        String mediaId = media.get(0).get("id").asString();
        assertThat(media.get(0).get("understanding").asString()).contains("bolo de cenoura");
        assertThat(bytes("/api/v1/media/" + mediaId, "Bearer " + tenant.agentToken()).body()).isEqualTo(MediaFakes.PNG);
        var person = new SignedInSession(api.baseUrl(), tenant.agent().email());
        String conversationId = tenant.scoped(() -> jdbc.sql("select id::text from conversations").query(String.class).single());
        assertThat(person.get("/inbox/conversations/" + conversationId).body()).contains("/media/" + mediaId);
        HttpResponse<byte[]> inInbox = person.http().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/media/" + mediaId)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(inInbox.statusCode()).isEqualTo(200);
        assertThat(inInbox.body()).isEqualTo(MediaFakes.PNG);
        var other = tenants.create("Webchat Photo Other");
        assertThat(bytes("/api/v1/media/" + mediaId, "Bearer " + other.agentToken()).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/messages/" + messageId + "/media", other.agentToken()).json().get("items")).isEmpty();
    }

    @Test
    void aPdfWithACaptionIsOneMessageWithTheCaptionAndTheFileNameAndSize() {
        var tenant = tenants.create("Webchat Pdf");
        UUID account = channels.create(tenant, Map.of("type", "webchat", "name", "Site"));
        String token = session(account);

        var sent = upload(account, token, "comprovante.pdf", "application/pdf", MediaFakes.PDF, "Segue o comprovante", "p-1");

        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(sent.json().get("content").asString()).isEqualTo("Segue o comprovante");
        JsonNode file = sent.json().get("media").get(0);
        assertThat(file.get("kind").asString()).isEqualTo("document");
        assertThat(file.get("filename").asString()).isEqualTo("comprovante.pdf");
        assertThat(file.get("size").asString()).isEqualTo(MediaFakes.PDF.length + " B");
        assertThat(widgetMessages(account, token).toString()).contains("comprovante.pdf");
    }

    @Test
    void aFileTooLargeOfARefusedTypeOrADisguisedProgramIsRefusedWithWordsAndNothingIsKept() {
        var tenant = tenants.create("Webchat Refused");
        UUID account = channels.create(tenant, Map.of("type", "webchat", "name", "Site"));
        String token = session(account);

        var tooLarge = upload(account, token, "video.mp4", "video/mp4", new byte[16 * 1024 * 1024 + 1], null, "big");
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.header("Content-Type")).startsWith("application/problem+json");
        assertThat(tooLarge.json().get("detail").asString()).contains("the limit is 16.0 MB");
        assertThat(tooLarge.json().get("max_size_bytes").asLong()).isEqualTo(16L * 1024 * 1024);

        var program = upload(account, token, "setup.exe", "application/x-msdownload", "MZ\u0090\0\3".getBytes(StandardCharsets.ISO_8859_1),
                null, "exe");
        assertThat(program.status()).isEqualTo(415);
        assertThat(program.header("Content-Type")).startsWith("application/problem+json");
        assertThat(program.json().get("detail").asString()).contains("not accepted").contains("application/pdf");

        var disguised = upload(account, token, "foto.png", "image/png", "MZ\u0090\0\3 this program".getBytes(StandardCharsets.ISO_8859_1),
                null, "disguised");
        assertThat(disguised.status()).isEqualTo(415);
        assertThat(disguised.json().get("detail").asString()).contains("program");

        var fakePdf = upload(account, token, "boleto.pdf", "application/pdf", "<html><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8),
                null, "fake-pdf");
        assertThat(fakePdf.status()).isEqualTo(415);
        assertThat(fakePdf.json().get("detail").asString()).contains("application/pdf");

        var empty = upload(account, token, "nada.pdf", "application/pdf", new byte[0], null, "empty");
        assertThat(empty.status()).isEqualTo(400);

        assertThat(tenant.scoped(() -> jdbc.sql("select count(*) from messages where direction = 'inbound'").query(Integer.class).single()))
                .isZero();
        assertThat(tenant.scoped(() -> jdbc.sql("select count(*) from media_files").query(Integer.class).single())).isZero();
    }

    @Test
    void aBodyOverTheRouteLimitIsRefusedBeforeItIsReadAndTheRestOfTheWebChatKeepsItsSmallLimit() throws Exception {
        var tenant = tenants.create("Webchat Body Limit");
        UUID account = channels.create(tenant, Map.of("type", "webchat", "name", "Site"));
        String token = session(account);

        // 18 MB declared, never sent: refused from the headers alone
        var huge = RawHttp.postDeclaring(URI.create(api.baseUrl()), "/webchat/" + account + "/attachments", 18 * 1024 * 1024,
                Map.of("Content-Type", "multipart/form-data; boundary=huge", "X-Webchat-Token", token));
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.headers()).containsIgnoringCase("Content-Type: application/problem+json");

        String longText = "{\"text\":\"" + "a".repeat(70 * 1024) + "\"}";
        var text = api.postRaw("/webchat/" + account + "/messages", "application/json", longText.getBytes(StandardCharsets.UTF_8),
                Map.of("X-Webchat-Token", token));
        assertThat(text.status()).as("only the upload address takes large bodies").isEqualTo(413);
        var multipartElsewhere = api.postRaw("/webchat/" + account + "/messages", "multipart/form-data; boundary=x", "--x--".getBytes(),
                Map.of("X-Webchat-Token", token));
        assertThat(multipartElsewhere.status()).isEqualTo(415);
    }

    @Test
    void withoutTheVisitorsOwnSessionTokenNothingIsTaken() {
        var tenant = tenants.create("Webchat Upload Token");
        UUID account = channels.create(tenant, Map.of("type", "webchat", "name", "Site"));
        UUID otherAccount = channels.create(tenant, Map.of("type", "webchat", "name", "Other site"));
        String foreign = session(otherAccount);

        assertThat(upload(account, "forged.visitor-1.c2lnbmF0dXJl", "bolo.png", "image/png", MediaFakes.PNG, null, "t1").status())
                .isEqualTo(403);
        assertThat(upload(account, foreign, "bolo.png", "image/png", MediaFakes.PNG, null, "t2").status())
                .as("a session of another web chat").isEqualTo(403);
        assertThat(tenant.scoped(() -> jdbc.sql("select count(*) from media_files").query(Integer.class).single())).isZero();
    }

    @Test
    void aVisitorSendingFileAfterFileIsLimitedAndThePastTheLimitFileIsNotKept() {
        var tenant = tenants.create("Webchat Upload Limit");
        UUID account = channels.create(tenant, Map.of("type", "webchat", "name", "Site"));
        String token = session(account);
        for (int i = 0; i < 10; i++) {
            assertThat(upload(account, token, "foto-" + i + ".png", "image/png", MediaFakes.PNG, null, "l-" + i).status()).isEqualTo(200);
        }

        var limited = upload(account, token, "foto-10.png", "image/png", MediaFakes.PNG, null, "l-10");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotNull();
        assertThat(limited.header("Content-Type")).contains("application/problem+json");
        assertThat(tenant.scoped(() -> jdbc.sql("select count(*) from media_files").query(Integer.class).single())).isEqualTo(10);
        var text = api.postRaw("/webchat/" + account + "/messages", "application/json", "{\"text\":\"ainda posso escrever?\"}"
                .getBytes(StandardCharsets.UTF_8), Map.of("X-Webchat-Token", token));
        assertThat(text.status()).as("texts have their own limit").isEqualTo(200);
    }

    private String session(UUID account) {
        var session = api.post("/webchat/" + account + "/sessions", null, Map.of("name", "Ana"));
        assertThat(session.status()).isEqualTo(200);
        return session.json().get("token").asString();
    }

    private JsonNode widgetMessages(UUID account, String token) {
        return api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/webchat/" + account + "/messages"))
                .header("X-Webchat-Token", token).build()).json();
    }

    private ApiClient.Response upload(UUID account, String token, String name, String type, byte[] bytes, String caption, String clientId) {
        String boundary = "b" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (caption != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n" + caption + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\n" + clientId + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\nContent-Type: "
                + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return api.postRaw("/webchat/" + account + "/attachments", "multipart/form-data; boundary=" + boundary, body.toByteArray(),
                Map.of("X-Webchat-Token", token));
    }

    private HttpResponse<byte[]> bytes(String path, String authorization) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).header("Authorization", authorization)
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** What the visitor's browser gets from the signed path the widget was handed. */
    private byte[] fetch(String path) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
