package io.switchboard.media;

import java.util.UUID;

/**
 * Where the bytes of media files are kept, by organization and id: an S3-compatible bucket when
 * {@code switchboard.media.s3.endpoint} and {@code .bucket} are set ({@link S3MediaStorage}), files under the media
 * directory otherwise ({@link FileMediaStorage}). A write that fails or a file that cannot be read is a
 * {@link MediaStorageException} saying why, never a silent loss. {@link MediaStorageConfiguration} picks one.
 */
interface MediaStorage {

    void write(UUID organizationId, UUID id, byte[] bytes);

    byte[] read(UUID organizationId, UUID id);
}
