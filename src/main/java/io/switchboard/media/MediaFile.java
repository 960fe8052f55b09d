package io.switchboard.media;

import java.time.Instant;
import java.util.UUID;

/**
 * A file a message carries. {@code status}: {@code pending} until downloaded, {@code ready}, {@code failed} (the
 * provider never gave it) or {@code refused} (too large or of a type not taken; {@code error} says which).
 *
 * @param understanding a voice note's transcript or an image's description, once the AI made one
 */
public record MediaFile(UUID id, UUID organizationId, UUID conversationId, UUID messageId, String direction, String kind,
                        String contentType, String filename, Long sizeBytes, boolean voice, String status, String error,
                        String understanding, String understandingKind, Instant createdAt) {

    public boolean ready() {
        return "ready".equals(status);
    }

    public boolean pending() {
        return "pending".equals(status);
    }

    public boolean image() {
        return ("image".equals(kind) || "sticker".equals(kind)) && ready();
    }

    public boolean audio() {
        return "audio".equals(kind) && ready();
    }

    public boolean video() {
        return "video".equals(kind) && ready();
    }

    /** Where a signed-in person of the tenant gets it. */
    public String path() {
        return "/media/" + id;
    }

    /** The name to show: the provider's or the person's file name, else the kind. */
    public String displayName() {
        return filename != null && !filename.isBlank() ? filename : kind;
    }

    /** The file's name, or its kind with the extension of its type ('image.png'): what a provider shows. */
    public String nameWithExtension() {
        if (filename != null && !filename.isBlank()) {
            return filename;
        }
        String type = contentType == null ? "" : contentType;
        String extension = switch (type) {
            case "image/jpeg" -> "jpg";
            case "image/png" -> "png";
            case "image/webp" -> "webp";
            case "image/gif" -> "gif";
            case "audio/ogg" -> "ogg";
            case "audio/mpeg" -> "mp3";
            case "audio/mp4", "audio/aac" -> "m4a";
            case "video/mp4" -> "mp4";
            case "video/3gpp" -> "3gp";
            case "application/pdf" -> "pdf";
            default -> "bin";
        };
        return kind + "." + extension;
    }

    /** '2.4 MB', '830 KB', '12 B'; empty when unknown. */
    public String displaySize() {
        if (sizeBytes == null) {
            return "";
        }
        if (sizeBytes >= 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f MB", sizeBytes / (1024.0 * 1024));
        }
        return sizeBytes >= 1024 ? (sizeBytes / 1024) + " KB" : sizeBytes + " B";
    }

    /** The kind of file for a MIME type: image, audio, video, or document for anything else. */
    public static String kindOf(String contentType) {
        String type = MediaProperties.baseType(contentType);
        if (type == null) {
            return "document";
        }
        for (String kind : new String[] {"image", "audio", "video"}) {
            if (type.startsWith(kind + "/")) {
                return kind;
            }
        }
        return "document";
    }
}
