package io.switchboard.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.MediaFakes;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.S3Fake;
import io.switchboard.support.SignedInSession;
import io.switchboard.support.Tenants;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 15: media kept in an S3-compatible bucket by configuration. The application is pointed at a fake store that
 * checks every request's Signature Version 4 as S3 does ({@link S3Fake}); an inbound photo ends up in the bucket,
 * not in the media directory, and is served to a signed-in person with the same bytes. Runs on its own embedded
 * database, so no other test context's job scheduler (storing on disk) downloads its files.
 */
@IntegrationTest
@TestPropertySource(properties = "switchboard.db.data-dir=target/test-data-s3")
class S3MediaTest {

    static final S3Fake S3 = S3Fake.start("switchboard-media");
    static final Path DATA_DIR = Path.of("target/test-data-s3");

    @DynamicPropertySource
    static void bucket(DynamicPropertyRegistry registry) {
        registry.add("switchboard.media.s3.endpoint", S3::endpoint);
        registry.add("switchboard.media.s3.bucket", S3::bucket);
        registry.add("switchboard.media.s3.access-key", () -> S3Fake.ACCESS_KEY);
        registry.add("switchboard.media.s3.secret-key", () -> S3Fake.SECRET_KEY);
    }

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
    void anInboundPhotoIsKeptInTheBucketNotOnDiskAndServedToASignedInPersonWithTheSameBytes() throws Exception {
        var tenant = tenants.create("S3 Media");
        UUID account = channels.twilioAccount(tenant, null);
        String sid = Channels.twilioSid(tenant);
        String messageSid = "MM" + UUID.randomUUID().toString().replace("-", "");
        String mediaSid = "ME" + UUID.randomUUID().toString().replace("-", "");
        MediaFakes.twilioServes(fake, sid, messageSid, mediaSid, "image/png", MediaFakes.PNG);

        assertThat(MediaFakes.twilioMedia(channels, account, sid, messageSid, "+5511977772222", mediaSid, "image/png", "a foto")
                .status()).isEqualTo(200);

        MediaFile file = awaitFile(tenant, f -> f.status().equals("ready"));
        String key = tenant.id() + "/" + file.id();
        assertThat(S3.object(key)).as("the object in the bucket").isEqualTo(MediaFakes.PNG);
        assertThat(S3.requests()).contains("PUT /switchboard-media/" + key + " -> 200");
        assertThat(DATA_DIR.resolve("media").resolve(tenant.id().toString()).resolve(file.id().toString())).doesNotExist();

        var person = new SignedInSession(api.baseUrl(), tenant.agent().email());
        HttpResponse<byte[]> served = person.http().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + file.path())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(MediaFakes.PNG);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(S3.requests()).contains("GET /switchboard-media/" + key + " -> 200");

        var stranger = new SignedInSession(api.baseUrl(), tenants.create("S3 Stranger").agent().email());
        assertThat(stranger.get(file.path()).statusCode()).as("another tenant's person").isEqualTo(404);
    }

    @Test
    void aPhotoTheBucketRefusesAtFirstWaitsWithTheReasonShownAndArrivesWhenTheBucketTakesIt() throws Exception {
        var tenant = tenants.create("S3 Busy");
        UUID account = channels.twilioAccount(tenant, null);
        String sid = Channels.twilioSid(tenant);
        String messageSid = "MM" + UUID.randomUUID().toString().replace("-", "");
        String mediaSid = "ME" + UUID.randomUUID().toString().replace("-", "");
        MediaFakes.twilioServes(fake, sid, messageSid, mediaSid, "image/png", MediaFakes.PNG);
        S3.failNext(1, 503, "SlowDown");

        MediaFakes.twilioMedia(channels, account, sid, messageSid, "+5511977773333", mediaSid, "image/png", null);

        MediaFile waiting = awaitFile(tenant, f -> f.error() != null);
        assertThat(waiting.status()).isEqualTo("pending");
        assertThat(waiting.error()).contains("Could not store the file").contains("503 SlowDown");
        MediaFile ready = awaitFile(tenant, f -> f.status().equals("ready")); // the retry, about 4 s later
        assertThat(ready.error()).isNull();
        assertThat(S3.object(tenant.id() + "/" + ready.id())).isEqualTo(MediaFakes.PNG);
        assertThat(MediaFakes.twilioDownloads(fake, sid, messageSid, mediaSid)).as("fetched again for the retry").isEqualTo(2);
        var person = new SignedInSession(api.baseUrl(), tenant.agent().email());
        HttpResponse<byte[]> served = person.http().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + ready.path())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.body()).isEqualTo(MediaFakes.PNG);
    }

    @Test
    void aFileGoneFromTheBucketIsA503ForThePersonNotAnEmptyFile() throws Exception {
        var tenant = tenants.create("S3 Gone");
        UUID account = channels.twilioAccount(tenant, null);
        String sid = Channels.twilioSid(tenant);
        String messageSid = "MM" + UUID.randomUUID().toString().replace("-", "");
        String mediaSid = "ME" + UUID.randomUUID().toString().replace("-", "");
        MediaFakes.twilioServes(fake, sid, messageSid, mediaSid, "image/png", MediaFakes.PNG);
        MediaFakes.twilioMedia(channels, account, sid, messageSid, "+5511977774444", mediaSid, "image/png", null);
        MediaFile file = awaitFile(tenant, f -> f.status().equals("ready"));

        S3.remove(tenant.id() + "/" + file.id());
        var person = new SignedInSession(api.baseUrl(), tenant.agent().email());
        var refused = person.get(file.path());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("The file store did not answer").doesNotContain("NoSuchKey").doesNotContain(S3.endpoint());
    }

    private MediaFile awaitFile(Tenants.Tenant tenant, Predicate<MediaFile> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            List<MediaFile> files = tenant.scoped(() -> jdbc.sql("select " + MediaFiles.COLUMNS + " from media_files")
                    .query(MediaFiles.ROW).list());
            if (!files.isEmpty() && condition.test(files.get(0))) {
                return files.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no media file as expected: "
                + tenant.scoped(() -> jdbc.sql("select status || ' ' || coalesce(error, '') from media_files").query(String.class).list()));
    }
}
