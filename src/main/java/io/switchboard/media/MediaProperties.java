package io.switchboard.media;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How media is kept and checked.
 *
 * @param dir                   where the files are stored; empty: {@code <data dir>/media}. With several nodes,
 *                              a volume they all mount
 * @param maxSize               the largest file taken in or attached (WhatsApp's own limit for documents is 100 MB,
 *                              for images 5 MB, audio and video 16 MB)
 * @param allowedTypes          MIME types taken, a trailing {@code /*} allowing a whole family
 * @param signedUrlTtl          how long an address handed to a provider to fetch an attachment stays valid
 * @param downloadMaxAttempts   attempts to download an inbound file before it is marked failed
 * @param transcriptionModel    the model of the OpenAI-compatible {@code /audio/transcriptions} endpoint
 * @param transcriptionPricePerMinute USD per minute of audio, for the AI's books
 * @param visionModels          model name prefixes that accept images; an agent whose model is not one of them
 *                              does not see images
 * @param handoffWhenUnreadable hand the conversation to a person when the AI cannot open a customer's file
 */
@ConfigurationProperties("switchboard.media")
public record MediaProperties(Path dir, DataSize maxSize, List<String> allowedTypes, Duration signedUrlTtl,
                              Integer downloadMaxAttempts, String transcriptionModel, Double transcriptionPricePerMinute,
                              List<String> visionModels, Boolean handoffWhenUnreadable) {

    public MediaProperties {
        if (maxSize == null) {
            maxSize = DataSize.ofMegabytes(16);
        }
        if (allowedTypes == null || allowedTypes.isEmpty()) {
            allowedTypes = List.of("image/jpeg", "image/png", "image/webp", "image/gif", "audio/*", "video/mp4", "video/3gpp",
                    "application/pdf", "text/plain", "text/csv", "application/msword",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.ms-excel",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-powerpoint",
                    "application/vnd.openxmlformats-officedocument.presentationml.presentation", "application/zip");
        }
        if (signedUrlTtl == null) {
            signedUrlTtl = Duration.ofMinutes(15);
        }
        if (downloadMaxAttempts == null) {
            downloadMaxAttempts = 6;
        }
        if (transcriptionModel == null || transcriptionModel.isBlank()) {
            transcriptionModel = "whisper-1";
        }
        if (transcriptionPricePerMinute == null) {
            transcriptionPricePerMinute = 0.006;
        }
        if (visionModels == null || visionModels.isEmpty()) {
            visionModels = List.of("gpt-4o", "gpt-4.1", "gpt-5", "o3", "o4", "llava", "qwen2.5-vl", "gemma3", "claude");
        }
        if (handoffWhenUnreadable == null) {
            handoffWhenUnreadable = false;
        }
    }

    /** Whether files of this MIME type are taken (parameters such as {@code ; codecs=opus} are ignored). */
    public boolean allows(String contentType) {
        String type = baseType(contentType);
        if (type == null) {
            return false;
        }
        return allowedTypes.stream().map(t -> t.strip().toLowerCase(Locale.ROOT)).anyMatch(allowed -> allowed.endsWith("/*")
                ? type.startsWith(allowed.substring(0, allowed.length() - 1)) : type.equals(allowed));
    }

    /** Whether an agent's model accepts images. */
    public boolean seesImages(String model) {
        return model != null && visionModels.stream().anyMatch(prefix -> model.toLowerCase(Locale.ROOT).startsWith(prefix));
    }

    static String baseType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }
}
