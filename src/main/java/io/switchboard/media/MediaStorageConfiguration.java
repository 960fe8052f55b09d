package io.switchboard.media;

import io.switchboard.database.DatabaseProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The media storage the configuration names: the S3-compatible bucket when one is set, the media directory otherwise. */
@Configuration(proxyBeanMethods = false)
class MediaStorageConfiguration {

    @Bean
    MediaStorage mediaStorage(MediaProperties properties, DatabaseProperties database, Clock clock) {
        MediaProperties.S3 s3 = properties.s3();
        if (s3.configured()) {
            return new S3MediaStorage(s3, clock);
        }
        return new FileMediaStorage(properties.dir() != null ? properties.dir() : database.dataDir().resolve("media"));
    }
}
