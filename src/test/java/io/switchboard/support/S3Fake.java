package io.switchboard.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small S3-compatible store for tests, path-style ({@code /<bucket>/<key>}), speaking S3's wire format: every
 * request must carry an AWS Signature Version 4 {@code Authorization} header, which it recomputes from the request
 * as received (method, path, query, the signed headers' values, {@code x-amz-content-sha256} checked against the
 * body) with the shared secret — its own implementation, not the application's — answering S3's {@code <Error>}
 * documents otherwise: 403 {@code InvalidAccessKeyId} / {@code SignatureDoesNotMatch} / {@code RequestTimeTooSkewed},
 * 400 {@code XAmzContentSHA256Mismatch}, 404 {@code NoSuchBucket} / {@code NoSuchKey}. PutObject stores the body,
 * GetObject serves it.
 */
public final class S3Fake implements AutoCloseable {

    public static final String ACCESS_KEY = "SWITCHBOARDTESTKEY01";
    public static final String SECRET_KEY = "s3cr3t/Key+For+Tests/0123456789abcdefGHIJ";
    public static final String REGION = "us-east-1";

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/s3/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final HttpServer server;
    private final String bucket;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresToServe = new AtomicInteger();
    private volatile int failureStatus;
    private volatile String failureCode;

    private S3Fake(String bucket) throws IOException {
        this.bucket = bucket;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    /** A store on a free port of the loopback address, with one (empty) bucket. */
    public static S3Fake start(String bucket) {
        try {
            return new S3Fake(bucket);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String bucket() {
        return bucket;
    }

    /** The object under this key, if any. */
    public byte[] object(String key) {
        return objects.get(key);
    }

    /** Deletes an object behind the application's back (a lifecycle rule, an operator). */
    public void remove(String key) {
        objects.remove(key);
    }

    public Map<String, byte[]> objects() {
        return Map.copyOf(objects);
    }

    /** {@code "PUT /bucket/key -> 200"}, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The next {@code count} correctly signed requests are answered with this error (e.g. 503 {@code SlowDown}). */
    public void failNext(int count, int status, String code) {
        failureStatus = status;
        failureCode = code;
        failuresToServe.set(count);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** An answer, recorded before it is sent (so a client that has it sees it in {@link #requests}). */
    private record Reply(int status, String contentType, byte[] body, String etag) {
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Reply reply = answer(exchange, body);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " -> " + reply.status());
            if (reply.contentType() != null) {
                exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            }
            if (reply.etag() != null) {
                exchange.getResponseHeaders().add("ETag", reply.etag());
            }
            boolean empty = reply.body() == null || reply.body().length == 0 || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(reply.status(), empty ? -1 : reply.body().length);
            if (!empty) {
                exchange.getResponseBody().write(reply.body());
            }
        }
    }

    private Reply answer(HttpExchange exchange, byte[] body) {
        String refusal = checkSignature(exchange, body);
        if (refusal != null) {
            String[] parts = refusal.split(" ", 3);
            return error(exchange, Integer.parseInt(parts[0]), parts[1], parts[2]);
        }
        if (failuresToServe.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return error(exchange, failureStatus, failureCode, "Please reduce your request rate.");
        }
        String path = URLDecoder.decode(exchange.getRequestURI().getRawPath().replace("+", "%2B"), StandardCharsets.UTF_8);
        String[] bucketAndKey = path.substring(1).split("/", 2);
        if (!bucketAndKey[0].equals(bucket)) {
            return error(exchange, 404, "NoSuchBucket", "The specified bucket does not exist");
        }
        String key = bucketAndKey.length > 1 ? bucketAndKey[1] : "";
        return switch (exchange.getRequestMethod()) {
            case "PUT" -> {
                objects.put(key, body);
                yield new Reply(200, null, null, "\"" + hex(digest("MD5", body)) + "\"");
            }
            case "GET" -> {
                byte[] object = objects.get(key);
                yield object == null ? error(exchange, 404, "NoSuchKey", "The specified key does not exist.")
                        : new Reply(200, "application/octet-stream", object, null);
            }
            default -> error(exchange, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
        };
    }

    /** {@code null} when the request is signed with the shared secret, otherwise {@code "<status> <Code> <Message>"}. */
    private String checkSignature(HttpExchange exchange, byte[] body) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Matcher auth = authorization == null ? null : AUTHORIZATION.matcher(authorization);
        if (auth == null || !auth.matches()) {
            return "403 AccessDenied Access Denied";
        }
        if (!auth.group(1).equals(ACCESS_KEY)) {
            return "403 InvalidAccessKeyId The AWS Access Key Id you provided does not exist in our records.";
        }
        if (!auth.group(3).equals(REGION)) {
            return "400 AuthorizationHeaderMalformed The authorization header is malformed; the region '" + auth.group(3)
                    + "' is wrong; expecting '" + REGION + "'";
        }
        List<String> signedHeaders = Arrays.asList(auth.group(4).split(";"));
        if (!signedHeaders.contains("host") || !signedHeaders.contains("x-amz-date") || !signedHeaders.contains("x-amz-content-sha256")) {
            return "403 AccessDenied host, x-amz-date and x-amz-content-sha256 must be signed";
        }
        String amzDate = exchange.getRequestHeaders().getFirst("x-amz-date");
        if (amzDate == null || !amzDate.matches("\\d{8}T\\d{6}Z")) {
            return "403 AccessDenied x-amz-date must be given as yyyyMMdd'T'HHmmss'Z'";
        }
        Instant when = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        if (Duration.between(when, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) > 0 || !amzDate.startsWith(auth.group(2))) {
            return "403 RequestTimeTooSkewed The difference between the request time and the current time is too large.";
        }
        String payloadHash = exchange.getRequestHeaders().getFirst("x-amz-content-sha256");
        if (!"UNSIGNED-PAYLOAD".equals(payloadHash) && !hex(digest("SHA-256", body)).equals(payloadHash)) {
            return "400 XAmzContentSHA256Mismatch The provided 'x-amz-content-sha256' header does not match what was computed.";
        }
        List<String> canonicalHeaders = new ArrayList<>();
        for (String name : signedHeaders) {
            List<String> values = exchange.getRequestHeaders().get(name);
            if (values == null) {
                return "403 SignatureDoesNotMatch The request signature we calculated does not match the signature you provided. "
                        + "Check your key and signing method.";
            }
            canonicalHeaders.add(name + ":" + values.stream().map(v -> v.strip().replaceAll(" +", " ")).collect(Collectors.joining(",")) + "\n");
        }
        String canonicalRequest = exchange.getRequestMethod() + "\n" + exchange.getRequestURI().getRawPath() + "\n"
                + canonicalQuery(exchange.getRequestURI().getRawQuery()) + "\n" + String.join("", canonicalHeaders) + "\n"
                + auth.group(4) + "\n" + payloadHash;
        String scope = auth.group(2) + "/" + REGION + "/s3/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(digest("SHA-256", canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + SECRET_KEY).getBytes(StandardCharsets.UTF_8), auth.group(2));
        for (String part : List.of(REGION, "s3", "aws4_request")) {
            key = hmac(key, part);
        }
        String expected = hex(hmac(key, stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), auth.group(5).getBytes(StandardCharsets.US_ASCII))) {
            return "403 SignatureDoesNotMatch The request signature we calculated does not match the signature you provided. "
                    + "Check your key and signing method.";
        }
        return null;
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        return Arrays.stream(rawQuery.split("&")).map(p -> p.contains("=") ? p : p + "=").sorted().collect(Collectors.joining("&"));
    }

    private static Reply error(HttpExchange exchange, int status, String code, String message) {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message.replace("&", "&amp;")
                .replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;") + "</Message><Resource>"
                + exchange.getRequestURI().getRawPath() + "</Resource><RequestId>" + Long.toHexString(System.nanoTime()).toUpperCase(Locale.ROOT)
                + "</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
        return new Reply(status, "application/xml", xml, null);
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
