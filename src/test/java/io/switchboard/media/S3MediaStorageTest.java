package io.switchboard.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.support.MediaFakes;
import io.switchboard.support.S3Fake;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** {@link S3MediaStorage} against a store that checks signatures as S3 does ({@link S3Fake}). */
class S3MediaStorageTest {

    private final S3Fake s3 = S3Fake.start("switchboard-media");
    private final UUID organization = UUID.randomUUID();
    private final UUID id = UUID.randomUUID();

    @AfterEach
    void stop() {
        s3.close();
    }

    private S3MediaStorage storage(String endpoint, String bucket, String secretKey, String region, Clock clock) {
        return new S3MediaStorage(new MediaProperties.S3(endpoint, bucket, region, S3Fake.ACCESS_KEY, secretKey, null,
                Duration.ofSeconds(5)), clock);
    }

    private S3MediaStorage storage() {
        return storage(s3.endpoint(), s3.bucket(), S3Fake.SECRET_KEY, null, Clock.systemUTC());
    }

    @Test
    void aFileIsPutUnderOrganizationAndIdAndReadBackByteForByte() {
        storage().write(organization, id, MediaFakes.PNG);

        assertThat(s3.object(organization + "/" + id)).isEqualTo(MediaFakes.PNG);
        assertThat(storage().read(organization, id)).isEqualTo(MediaFakes.PNG);
        assertThat(s3.requests()).containsExactly(
                "PUT /switchboard-media/" + organization + "/" + id + " -> 200",
                "GET /switchboard-media/" + organization + "/" + id + " -> 200");
    }

    @Test
    void anEndpointWrittenWithATrailingSlashWorksAlike() {
        storage(s3.endpoint() + "/", s3.bucket(), S3Fake.SECRET_KEY, null, Clock.systemUTC()).write(organization, id, MediaFakes.OGG);
        assertThat(s3.object(organization + "/" + id)).isEqualTo(MediaFakes.OGG);
    }

    @Test
    void aWrongSecretIsRefusedWithS3sCodeAndMessage() {
        var wrong = storage(s3.endpoint(), s3.bucket(), S3Fake.SECRET_KEY + "x", null, Clock.systemUTC());

        assertThatThrownBy(() -> wrong.write(organization, id, MediaFakes.PNG)).isInstanceOf(MediaStorageException.class)
                .hasMessageContaining("PutObject of switchboard-media/" + organization + "/" + id)
                .hasMessageContaining("403 SignatureDoesNotMatch: The request signature we calculated does not match")
                .hasMessageContaining("check switchboard.media.s3.access-key and secret-key");
        assertThat(s3.objects()).isEmpty();
    }

    @Test
    void aWrongRegionOrAClockFarOffIsRefusedAndSaysSo() {
        assertThatThrownBy(() -> storage(s3.endpoint(), s3.bucket(), S3Fake.SECRET_KEY, "garage", Clock.systemUTC())
                .write(organization, id, MediaFakes.PNG))
                .hasMessageContaining("400 AuthorizationHeaderMalformed").hasMessageContaining("check switchboard.media.s3.region");
        Clock anHourLate = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        assertThatThrownBy(() -> storage(s3.endpoint(), s3.bucket(), S3Fake.SECRET_KEY, null, anHourLate).write(organization, id, MediaFakes.PNG))
                .hasMessageContaining("403 RequestTimeTooSkewed");
    }

    @Test
    void aMissingObjectOrBucketIsAnErrorNotEmptyBytes() {
        assertThatThrownBy(() -> storage().read(organization, id)).isInstanceOf(MediaStorageException.class)
                .hasMessageContaining("GetObject of switchboard-media/" + organization + "/" + id)
                .hasMessageContaining("404 NoSuchKey: The specified key does not exist.");
        assertThatThrownBy(() -> storage(s3.endpoint(), "no-such-bucket", S3Fake.SECRET_KEY, null, Clock.systemUTC())
                .write(organization, id, MediaFakes.PNG))
                .hasMessageContaining("404 NoSuchBucket").hasMessageContaining("create the bucket beforehand");
    }

    @Test
    void aStoreThatIsBusyOrUnreachableIsAnError() throws Exception {
        s3.failNext(1, 503, "SlowDown");
        assertThatThrownBy(() -> storage().write(organization, id, MediaFakes.PNG)).hasMessageContaining("503 SlowDown");
        storage().write(organization, id, MediaFakes.PNG); // and the next attempt goes through
        assertThat(s3.object(organization + "/" + id)).isEqualTo(MediaFakes.PNG);

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> storage("http://127.0.0.1:" + closedPort, "b", S3Fake.SECRET_KEY, null, Clock.systemUTC())
                .read(organization, id)).isInstanceOf(MediaStorageException.class)
                .hasMessageContaining("the store could not be reached").hasMessageContaining("ConnectException");
    }

    @Test
    void s3IsUsedOnlyWhenEndpointAndBucketAreBothSetAndThenNeedsKeys() {
        assertThat(new MediaProperties.S3(null, null, null, null, null, null, null).configured()).isFalse();
        assertThat(new MediaProperties.S3("", " ", null, null, null, null, null).configured()).isFalse();
        var configured = new MediaProperties.S3("http://minio:9000", "media", null, "k", "secret", null, null);
        assertThat(configured.configured()).isTrue();
        assertThat(configured.region()).isEqualTo("us-east-1");
        assertThat(configured.pathStyle()).isTrue();
        assertThat(configured.toString()).doesNotContain("secret]").contains("(hidden)");
        assertThatThrownBy(() -> new MediaProperties.S3("http://minio:9000", null, null, "k", "s", null, null))
                .hasMessageContaining("only endpoint is set");
        assertThatThrownBy(() -> new MediaProperties.S3(null, "media", null, "k", "s", null, null))
                .hasMessageContaining("only bucket is set");
        assertThatThrownBy(() -> new MediaProperties.S3("http://minio:9000", "media", null, null, null, null, null))
                .hasMessageContaining("switchboard.media.s3.access-key and switchboard.media.s3.secret-key are needed");
        assertThatThrownBy(() -> new MediaProperties.S3("minio:9000", "media", null, "k", "s", null, null))
                .hasMessageContaining("must be an http(s) URL");
    }

    @Test
    void theEnvironmentVariablesTheReadmeNamesBindToTheBucketSettings() {
        var environment = new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                "SWITCHBOARD_MEDIA_S3_ENDPOINT", "http://garage:3900", "SWITCHBOARD_MEDIA_S3_BUCKET", "media",
                "SWITCHBOARD_MEDIA_S3_REGION", "garage", "SWITCHBOARD_MEDIA_S3_ACCESS_KEY", "GK123",
                "SWITCHBOARD_MEDIA_S3_SECRET_KEY", "s3cr3t", "SWITCHBOARD_MEDIA_S3_PATH_STYLE", "false",
                "SWITCHBOARD_MEDIA_S3_TIMEOUT", "5s"));
        MediaProperties.S3 s3 = new Binder(ConfigurationPropertySources.from(environment))
                .bindOrCreate("switchboard.media", MediaProperties.class).s3();
        assertThat(s3).isEqualTo(new MediaProperties.S3("http://garage:3900", "media", "garage", "GK123", "s3cr3t", false,
                Duration.ofSeconds(5)));
        assertThat(new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of()))).bindOrCreate("switchboard.media",
                MediaProperties.class).s3().configured()).as("nothing set: the media directory").isFalse();
    }
}
