package io.switchboard.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.MediaFakes;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.SignedInSession;
import io.switchboard.support.Tenants;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class InboundMediaTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Channels channels;

    @Autowired
    JdbcClient jdbc;

    WireMockServer fake;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
    }

    @Test
    void aTwilioPhotoSentTwiceIsDownloadedOnceAndServedOnlyToSignedInPeopleOfItsTenant() throws Exception {
        var tenant = tenants.create("Media Twilio");
        UUID account = channels.twilioAccount(tenant, null);
        String sid = Channels.twilioSid(tenant);
        String messageSid = "MM" + UUID.randomUUID().toString().replace("-", "");
        String mediaSid = "ME" + UUID.randomUUID().toString().replace("-", "");
        MediaFakes.twilioServes(fake, sid, messageSid, mediaSid, "image/png", MediaFakes.PNG);

        for (int i = 0; i < 3; i++) { // Twilio retries the webhook
            assertThat(MediaFakes.twilioMedia(channels, account, sid, messageSid, "+5511977770000", mediaSid, "image/png", "olha a foto")
                    .status()).isEqualTo(200);
        }

        MediaFile file = awaitFile(tenant, "ready");
        assertThat(file.kind()).isEqualTo("image");
        assertThat(file.sizeBytes()).isEqualTo(MediaFakes.PNG.length);
        Thread.sleep(500); // a second download, were there one, would have had time to start
        assertThat(MediaFakes.twilioDownloads(fake, sid, messageSid, mediaSid)).isEqualTo(1);
        assertThat(tenant.scoped(() -> jdbc.sql("select count(*) from media_files").query(Integer.class).single())).isEqualTo(1);

        var person = new SignedInSession(api.baseUrl(), tenant.agent().email());
        HttpResponse<byte[]> served = person.http().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + file.path())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(MediaFakes.PNG);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(served.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        var stranger = new SignedInSession(api.baseUrl(), tenants.create("Media Stranger").agent().email());
        assertThat(stranger.get(file.path()).statusCode()).as("another tenant's person").isEqualTo(404);
        var anonymous = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + file.path())).build());
        assertThat(anonymous.status()).as("nobody signed in").isIn(302, 401);
        assertThat(anonymous.body()).doesNotContain("PNG");
        // and the provider's own address never reaches anyone
        var messages = api.get("/api/v1/conversations/" + file.conversationId() + "/messages", tenant.agentToken());
        assertThat(messages.body()).doesNotContain("/Media/" + mediaSid).doesNotContain("/2010-04-01/Accounts/");
    }

    @Test
    void aMetaVoiceNoteIsLookedUpByItsIdAndDownloadedWithTheTokenOnce() throws Exception {
        var tenant = tenants.create("Media Meta");
        UUID account = channels.metaAccount(tenant);
        String mediaId = String.valueOf(Math.abs(UUID.randomUUID().getMostSignificantBits()));
        MediaFakes.metaServes(fake, mediaId, "audio/ogg; codecs=opus", MediaFakes.OGG);
        String wamid = "wamid." + UUID.randomUUID();

        assertThat(MediaFakes.metaMedia(channels, account, wamid, "5511988887777", "audio", mediaId, "audio/ogg; codecs=opus", true)
                .status()).isEqualTo(200);
        assertThat(MediaFakes.metaMedia(channels, account, wamid, "5511988887777", "audio", mediaId, "audio/ogg; codecs=opus", true)
                .status()).isEqualTo(200);

        MediaFile file = awaitFile(tenant, "ready");
        assertThat(file.kind()).isEqualTo("audio");
        assertThat(file.voice()).isTrue();
        assertThat(file.contentType()).isEqualTo("audio/ogg");
        Thread.sleep(500);
        assertThat(MediaFakes.metaLookups(fake, mediaId)).isEqualTo(1);
        var person = new SignedInSession(api.baseUrl(), tenant.agent().email());
        HttpResponse<byte[]> served = person.http().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + file.path())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.body()).isEqualTo(MediaFakes.OGG);
    }

    @Test
    void anEvolutionImageIsFetchedAsBase64ByItsMessageKeyOnce() throws Exception {
        var tenant = tenants.create("Media Evolution");
        UUID account = channels.evolutionAccount(tenant);
        String instance = channels.evolutionInstanceOf(account);
        String keyId = "3EB0" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        MediaFakes.evolutionServes(fake, instance, keyId, "image/png", MediaFakes.PNG);

        assertThat(MediaFakes.evolutionMedia(api, account, instance, keyId, "5511966665555", "imageMessage", "image/png").status()).isEqualTo(200);
        assertThat(MediaFakes.evolutionMedia(api, account, instance, keyId, "5511966665555", "imageMessage", "image/png").status()).isEqualTo(200);

        MediaFile file = awaitFile(tenant, "ready");
        assertThat(file.kind()).isEqualTo("image");
        Thread.sleep(500);
        assertThat(MediaFakes.evolutionDownloads(fake, instance)).isEqualTo(1);
        var person = new SignedInSession(api.baseUrl(), tenant.agent().email());
        HttpResponse<byte[]> served = person.http().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + file.path())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.body()).isEqualTo(MediaFakes.PNG);
    }

    @Test
    void aMetaPhotoAndAnEvolutionVoiceNoteAreEachDownloadedOnce() throws Exception {
        var meta = tenants.create("Media Meta Photo");
        UUID metaAccount = channels.metaAccount(meta);
        String mediaId = String.valueOf(Math.abs(UUID.randomUUID().getLeastSignificantBits()));
        MediaFakes.metaServes(fake, mediaId, "image/png", MediaFakes.PNG);
        String wamid = "wamid." + UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            MediaFakes.metaMedia(channels, metaAccount, wamid, "5511988880000", "image", mediaId, "image/png", false);
        }
        var evolution = tenants.create("Media Evolution Voice");
        UUID evolutionAccount = channels.evolutionAccount(evolution);
        String instance = channels.evolutionInstanceOf(evolutionAccount);
        String keyId = "3EB0" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        MediaFakes.evolutionServes(fake, instance, keyId, "audio/ogg; codecs=opus", MediaFakes.OGG);
        for (int i = 0; i < 2; i++) {
            MediaFakes.evolutionMedia(api, evolutionAccount, instance, keyId, "5511966660000", "audioMessage", "audio/ogg; codecs=opus");
        }

        assertThat(awaitFile(meta, "ready").kind()).isEqualTo("image");
        MediaFile voice = awaitFile(evolution, "ready");
        assertThat(voice.kind()).isEqualTo("audio");
        assertThat(voice.voice()).isTrue();
        Thread.sleep(500);
        assertThat(MediaFakes.metaLookups(fake, mediaId)).isEqualTo(1);
        assertThat(MediaFakes.evolutionDownloads(fake, instance)).isEqualTo(1);
    }

    @Test
    void aTelegramVoiceNoteIsFetchedByItsFileIdOnce() throws Exception {
        var tenant = tenants.create("Media Telegram");
        UUID account = channels.telegramAccount(tenant, null);
        String token = Channels.telegramToken(tenant);
        String fileId = "AwACAgEAAxkBAAI" + UUID.randomUUID().toString().replace("-", "");
        fake.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(
                        "/bot" + token + "/getFile")).withQueryParam("file_id", com.github.tomakehurst.wiremock.client.WireMock.equalTo(fileId))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"ok\":true,\"result\":{\"file_id\":\"" + fileId
                        + "\",\"file_unique_id\":\"AgAD1\",\"file_size\":" + MediaFakes.OGG.length + ",\"file_path\":\"voice/file_7.oga\"}}")));
        fake.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(
                "/file/bot" + token + "/voice/file_7.oga")).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                .withStatus(200).withHeader("Content-Type", "application/octet-stream").withBody(MediaFakes.OGG)));
        String update = """
                {"update_id":%d,"message":{"message_id":77,"from":{"id":555001,"is_bot":false,"first_name":"Maria"},
                 "chat":{"id":555001,"first_name":"Maria","type":"private"},"date":1733140000,
                 "voice":{"duration":3,"mime_type":"audio/ogg","file_id":"%s","file_unique_id":"AgAD1","file_size":%d}}}"""
                .formatted(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L), fileId, MediaFakes.OGG.length);
        for (int i = 0; i < 2; i++) {
            assertThat(api.postRaw("/webhooks/telegram/" + account, "application/json", update.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    java.util.Map.of("X-Telegram-Bot-Api-Secret-Token", Channels.TELEGRAM_SECRET)).status()).isEqualTo(200);
        }

        MediaFile file = awaitFile(tenant, "ready");
        assertThat(file.kind()).isEqualTo("audio");
        assertThat(file.contentType()).isEqualTo("audio/ogg");
        Thread.sleep(500);
        assertThat(fake.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/bot" + token + "/getFile")))).hasSize(1);
    }

    @Test
    void aFileOfARefusedTypeIsNotKeptAndSaysWhy() throws Exception {
        var tenant = tenants.create("Media Refused");
        UUID account = channels.twilioAccount(tenant, null);
        String sid = Channels.twilioSid(tenant);
        String messageSid = "MM" + UUID.randomUUID().toString().replace("-", "");
        String mediaSid = "ME" + UUID.randomUUID().toString().replace("-", "");
        MediaFakes.twilioServes(fake, sid, messageSid, mediaSid, "application/x-msdownload", "MZ".getBytes());

        MediaFakes.twilioMedia(channels, account, sid, messageSid, "+5511977771111", mediaSid, "application/x-msdownload", null);

        MediaFile file = awaitFile(tenant, "refused");
        assertThat(file.error()).contains("application/x-msdownload").contains("not accepted");
        var person = new SignedInSession(api.baseUrl(), tenant.agent().email());
        assertThat(person.get(file.path()).statusCode()).isEqualTo(404);
    }

    private MediaFile awaitFile(Tenants.Tenant tenant, String status) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            List<MediaFile> files = tenant.scoped(() -> jdbc.sql("select " + MediaFiles.COLUMNS + " from media_files")
                    .query(MediaFiles.ROW).list());
            if (!files.isEmpty() && files.get(0).status().equals(status)) {
                return files.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no media file became " + status + ": "
                + tenant.scoped(() -> jdbc.sql("select status || ' ' || coalesce(error, '') from media_files").query(String.class).list()));
    }
}
