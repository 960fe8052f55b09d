package io.switchboard.media;

import java.net.URI;
import java.net.URISyntaxException;
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
 * @param s3                    an S3-compatible bucket to keep the files in instead of {@code dir}
 */
@ConfigurationProperties("switchboard.media")
public record MediaProperties(Path dir, DataSize maxSize, List<String> allowedTypes, Duration signedUrlTtl,
                              Integer downloadMaxAttempts, String transcriptionModel, Double transcriptionPricePerMinute,
                              List<String> visionModels, Boolean handoffWhenUnreadable, S3 s3) {

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
        if (s3 == null) {
            s3 = new S3(null, null, null, null, null, null, null);
        }
    }

    /**
     * An S3-compatible bucket (AWS S3, MinIO, Garage, Ceph RGW, Cloudflare R2…) holding the files under
     * {@code <organization id>/<media id>}; used when {@code endpoint} and {@code bucket} are both set.
     *
     * @param endpoint  the store's address, e.g. {@code http://minio:9000} or {@code https://s3.eu-west-1.amazonaws.com}
     * @param bucket    the bucket, created beforehand
     * @param region    the region requests are signed for ({@code us-east-1} by default, which MinIO and Ceph accept;
     *                  Garage's is usually {@code garage})
     * @param accessKey the access key id
     * @param secretKey the secret access key
     * @param pathStyle {@code true} (default): {@code <endpoint>/<bucket>/<key>}, what self-hosted stores expect;
     *                  {@code false}: {@code <bucket>.<endpoint host>/<key>} (AWS's virtual-hosted style)
     * @param timeout   bound on one request to the store
     */
    public record S3(String endpoint, String bucket, String region, String accessKey, String secretKey, Boolean pathStyle,
                     Duration timeout) {

        public S3 {
            endpoint = blankToNull(endpoint);
            bucket = blankToNull(bucket);
            region = blankToNull(region) == null ? "us-east-1" : region.strip();
            accessKey = blankToNull(accessKey);
            secretKey = blankToNull(secretKey);
            if (pathStyle == null) {
                pathStyle = true;
            }
            if (timeout == null) {
                timeout = Duration.ofSeconds(30);
            }
            if ((endpoint == null) != (bucket == null)) {
                throw new IllegalArgumentException("switchboard.media.s3.endpoint and switchboard.media.s3.bucket are set together "
                        + "(an S3-compatible bucket) or not at all (files under switchboard.media.dir); only "
                        + (endpoint != null ? "endpoint" : "bucket") + " is set");
            }
            if (endpoint != null) {
                URI uri;
                try {
                    uri = new URI(endpoint);
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("switchboard.media.s3.endpoint is no URL: " + endpoint, e);
                }
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException("switchboard.media.s3.endpoint must be an http(s) URL such as http://minio:9000, not "
                            + endpoint);
                }
                if (accessKey == null || secretKey == null) {
                    throw new IllegalArgumentException("switchboard.media.s3.access-key and switchboard.media.s3.secret-key are needed "
                            + "with switchboard.media.s3.endpoint");
                }
            }
        }

        /** Whether files go to the bucket. */
        public boolean configured() {
            return endpoint != null;
        }

        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", accessKey=" + accessKey
                    + ", secretKey=" + (secretKey == null ? null : "(hidden)") + ", pathStyle=" + pathStyle + ", timeout=" + timeout + "]";
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.strip();
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
