package io.switchboard.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The bytes of media files, one file per id under the media directory ({@code <data dir>/media} by default,
 * grouped by organization). Written to a temporary name and moved into place, so a reader never sees half a file.
 */
final class FileMediaStorage implements MediaStorage {

    private final Path root;

    FileMediaStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void write(UUID organizationId, UUID id, byte[] bytes) {
        Path target = path(organizationId, id);
        try {
            Files.createDirectories(target.getParent());
            Path temporary = target.resolveSibling(id + ".part-" + UUID.randomUUID());
            Files.write(temporary, bytes);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new MediaStorageException("Could not store media file " + id + " under " + root + ": " + e, e);
        }
    }

    @Override
    public byte[] read(UUID organizationId, UUID id) {
        try {
            return Files.readAllBytes(path(organizationId, id));
        } catch (IOException e) {
            throw new MediaStorageException("Media file " + id + " is missing from " + root + ": " + e, e);
        }
    }

    private Path path(UUID organizationId, UUID id) {
        return root.resolve(organizationId.toString()).resolve(id.toString());
    }
}
