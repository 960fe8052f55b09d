package io.switchboard.media;

import io.switchboard.database.DatabaseProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The bytes of media files, one file per id under the media directory ({@code <data dir>/media} by default,
 * grouped by organization). Written to a temporary name and moved into place, so a reader never sees half a file.
 */
@Component
class MediaStorage {

    private final Path root;

    MediaStorage(MediaProperties properties, DatabaseProperties database) {
        this.root = (properties.dir() != null ? properties.dir() : database.dataDir().resolve("media")).toAbsolutePath().normalize();
    }

    void write(UUID organizationId, UUID id, byte[] bytes) {
        Path target = path(organizationId, id);
        try {
            Files.createDirectories(target.getParent());
            Path temporary = target.resolveSibling(id + ".part-" + UUID.randomUUID());
            Files.write(temporary, bytes);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store media file " + id + " under " + root, e);
        }
    }

    byte[] read(UUID organizationId, UUID id) {
        try {
            return Files.readAllBytes(path(organizationId, id));
        } catch (IOException e) {
            throw new UncheckedIOException("Media file " + id + " is missing from " + root, e);
        }
    }

    private Path path(UUID organizationId, UUID id) {
        return root.resolve(organizationId.toString()).resolve(id.toString());
    }
}
