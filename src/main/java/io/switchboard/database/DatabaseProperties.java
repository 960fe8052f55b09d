package io.switchboard.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the database is. Without {@code url} Switchboard starts PostgreSQL itself, keeping its data in
 * {@code dataDir/postgres}.
 *
 * @param url           JDBC URL of an external PostgreSQL (≥ 14); empty means embedded
 * @param user          user for the external database
 * @param password      password for the external database
 * @param dataDir       directory for the embedded database's files and the local secret key
 * @param poolSize      connections kept by the pool
 * @param embeddedFsync keep fsync on in the embedded database (off only makes sense for tests)
 * @param embeddedCleanStart wipe the embedded data directory once per JVM before starting (tests)
 * @param connectionTimeout how long a request waits for a free connection before it is answered 503 (30 s)
 */
@ConfigurationProperties("switchboard.db")
public record DatabaseProperties(
        String url,
        String user,
        String password,
        Path dataDir,
        Integer poolSize,
        Boolean embeddedFsync,
        Boolean embeddedCleanStart,
        java.time.Duration connectionTimeout) {

    public DatabaseProperties {
        if (dataDir == null) {
            dataDir = Path.of(System.getProperty("user.home"), ".switchboard");
        }
        if (poolSize == null) {
            poolSize = 10;
        }
        if (embeddedFsync == null) {
            embeddedFsync = true;
        }
        if (embeddedCleanStart == null) {
            embeddedCleanStart = false;
        }
        if (connectionTimeout == null) {
            connectionTimeout = java.time.Duration.ofSeconds(30);
        }
    }

    boolean external() {
        return url != null && !url.isBlank();
    }
}
