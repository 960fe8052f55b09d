package io.switchboard.media;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bytes of media files as objects of an S3-compatible bucket, key {@code <organization id>/<media id>}: written
 * with PutObject, read with GetObject, each request signed with AWS Signature Version 4 ({@link S3Signature}) over
 * the whole payload. The store's refusals (a wrong key, a missing bucket or object, a 5xx) and an unreachable
 * endpoint are a {@link MediaStorageException} carrying S3's error code and message.
 */
final class S3MediaStorage implements MediaStorage {

    private static final Pattern CODE = Pattern.compile("<Code>(.*?)</Code>", Pattern.DOTALL);
    private static final Pattern MESSAGE = Pattern.compile("<Message>(.*?)</Message>", Pattern.DOTALL);

    private final MediaProperties.S3 config;
    private final URI endpoint;
    private final S3Signature signature;
    private final HttpClient http;
    private final Clock clock;

    S3MediaStorage(MediaProperties.S3 config, Clock clock) {
        this.config = config;
        this.endpoint = URI.create(config.endpoint());
        this.signature = new S3Signature(config.accessKey(), config.secretKey(), config.region());
        Duration connect = config.timeout().compareTo(Duration.ofSeconds(10)) < 0 ? config.timeout() : Duration.ofSeconds(10);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connect)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.clock = clock;
    }

    @Override
    public void write(UUID organizationId, UUID id, byte[] bytes) {
        send("PUT", key(organizationId, id), bytes);
    }

    @Override
    public byte[] read(UUID organizationId, UUID id) {
        return send("GET", key(organizationId, id), null);
    }

    static String key(UUID organizationId, UUID id) {
        return organizationId + "/" + id;
    }

    private byte[] send(String method, String key, byte[] body) {
        String basePath = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
        String host;
        String path;
        if (config.pathStyle()) {
            host = hostHeader(endpoint.getHost());
            path = basePath + S3Signature.encodePath("/" + config.bucket() + "/" + key);
        } else {
            host = hostHeader(config.bucket() + "." + endpoint.getHost());
            path = basePath + S3Signature.encodePath("/" + key);
        }
        URI uri = URI.create(endpoint.getScheme() + "://" + host + path);
        String payloadHash = body == null ? S3Signature.EMPTY_SHA256 : S3Signature.sha256Hex(body);
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("host", host);
        signed.put("x-amz-content-sha256", payloadHash);
        signed.put("x-amz-date", S3Signature.amzDate(clock.instant()));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.timeout())
                .header("x-amz-content-sha256", payloadHash)
                .header("x-amz-date", signed.get("x-amz-date"))
                .header("Authorization", signature.authorization(method, path, "", signed, payloadHash));
        if (body != null) {
            request.header("Content-Type", "application/octet-stream").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        String what = (body != null ? "PutObject" : "GetObject") + " of " + config.bucket() + "/" + key + " at " + endpoint;
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new MediaStorageException("S3 " + what + " failed: the store could not be reached (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaStorageException("S3 " + what + " was interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new MediaStorageException("S3 " + what + " failed: " + describe(response.statusCode(), response.body()), null);
        }
        return response.body();
    }

    /** Java's HTTP client sends the port in {@code Host} only when it is not the scheme's default; so is it signed. */
    private String hostHeader(String host) {
        int port = endpoint.getPort();
        boolean defaultPort = port == -1 || ("https".equals(endpoint.getScheme()) ? port == 443 : port == 80);
        return defaultPort ? host : host + ":" + port;
    }

    /** {@code 403 SignatureDoesNotMatch: The request signature…} from S3's {@code <Error>} document, and what to check. */
    static String describe(int status, byte[] body) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        Matcher code = CODE.matcher(text);
        if (!code.find()) {
            String start = text.strip().replaceAll("\\s+", " ");
            return status + (start.isEmpty() ? "" : " (no S3 error document: " + (start.length() > 200 ? start.substring(0, 200) + "…" : start) + ")");
        }
        Matcher message = MESSAGE.matcher(text);
        String described = status + " " + unescape(code.group(1)) + (message.find() ? ": " + unescape(message.group(1)) : "");
        String hint = switch (unescape(code.group(1))) {
            case "SignatureDoesNotMatch", "InvalidAccessKeyId" -> " (check switchboard.media.s3.access-key and secret-key)";
            case "AuthorizationHeaderMalformed" -> " (check switchboard.media.s3.region)";
            case "NoSuchBucket" -> " (check switchboard.media.s3.bucket; create the bucket beforehand)";
            case "RequestTimeTooSkewed" -> " (this server's clock is off)";
            default -> "";
        };
        return described + hint;
    }

    private static String unescape(String xml) {
        return xml.strip().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }
}
