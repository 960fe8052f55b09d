package io.switchboard.media;

import java.util.UUID;

/**
 * Where inbound files come from: the channel that received the message downloads it from its provider with the
 * account's credentials. A real seam (implemented by the channel module, which knows the providers).
 */
public interface MediaSource {

    /**
     * Downloads one file, reading at most {@code maxBytes + 1} bytes. Never throws for provider or network trouble.
     *
     * @param origin what the provider said about the file
     */
    Download fetch(Origin origin, long maxBytes);

    /** What the provider said about a file in its webhook. */
    record Origin(UUID organizationId, UUID channelAccountId, String url, String providerMediaId, String contentType) {
    }

    /** What a download came to. */
    sealed interface Download {
    }

    /** The file; {@code contentType} as the provider served it (may be null), {@code filename} when it named one. */
    record Fetched(byte[] bytes, String contentType, String filename) implements Download {
    }

    /** Larger than allowed: not kept. */
    record TooLarge(long atLeastBytes) implements Download {
    }

    /** Not downloaded; {@code retryable} when trying later may help (network, 429, 5xx). */
    record Failed(boolean retryable, String reason) implements Download {
    }
}
