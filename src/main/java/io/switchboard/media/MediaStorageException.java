package io.switchboard.media;

/** The media storage could not keep or give back a file; the message says why (for S3, its error code and message). */
class MediaStorageException extends RuntimeException {

    MediaStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
