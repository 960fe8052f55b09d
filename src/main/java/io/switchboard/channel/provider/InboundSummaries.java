package io.switchboard.channel.provider;

import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Readable text for messages that carry no text, so that nothing reaches the inbox blank. */
final class InboundSummaries {

    private InboundSummaries() {
    }

    /** '📍 Location: -23.55, -46.63 — Av. Paulista, 1000' (name and address when known). */
    static String location(String latitude, String longitude, String name, String address) {
        StringBuilder summary = new StringBuilder("📍 Location: ")
                .append(Objects.toString(latitude, "?")).append(", ").append(Objects.toString(longitude, "?"));
        String place = Stream.of(name, address)
                .filter(part -> part != null && !part.isBlank())
                .map(String::strip)
                .distinct()
                .collect(Collectors.joining(", "));
        if (!place.isEmpty()) {
            summary.append(" — ").append(place);
        }
        return summary.toString();
    }

    /** The caption when there is one, else '[image]', '[document: invoice.pdf]'… */
    static String media(String contentType, String caption, String fileName) {
        if (caption != null && !caption.isBlank()) {
            return caption.strip();
        }
        if (fileName != null && !fileName.isBlank()) {
            return "[" + contentType + ": " + fileName.strip() + "]";
        }
        return "[" + contentType + "]";
    }

    /** Our content type for a MIME type: image, audio, video, or document for anything else. */
    static String contentTypeOfMime(String mimeType) {
        if (mimeType == null) {
            return "document";
        }
        String mime = mimeType.toLowerCase(Locale.ROOT);
        if (mime.startsWith("image/")) {
            return "image";
        }
        if (mime.startsWith("audio/")) {
            return "audio";
        }
        if (mime.startsWith("video/")) {
            return "video";
        }
        return "document";
    }

    static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    static String blankToNull(String value) {
        return isBlank(value) ? null : value.strip();
    }
}
