package io.switchboard.media;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for S3 requests authenticated by the {@code Authorization} header, payload sent in a
 * single chunk ("Signature Calculations for the Authorization Header: Transferring Payload in a Single Chunk"):
 * a canonical request, the string to sign over its hash, and an HMAC-SHA256 with a key derived from the secret,
 * the date, the region and the service. What every S3-compatible store (AWS, MinIO, Garage, Ceph…) checks.
 */
final class S3Signature {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** The SHA-256 of no bytes: the payload hash of a GET. */
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String SERVICE = "s3";

    private final String accessKey;
    private final String secretKey;
    private final String region;

    S3Signature(String accessKey, String secretKey, String region) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
    }

    /**
     * The {@code Authorization} header value of a request.
     *
     * @param method         {@code GET}, {@code PUT}…
     * @param encodedPath    the path as sent, each segment URI-encoded ({@link #encodePath})
     * @param canonicalQuery the query parameters, encoded and sorted by name; empty when none
     * @param headers        the headers to sign (any case), at least {@code host}, {@code x-amz-date} and
     *                       {@code x-amz-content-sha256}; the date of the signature is {@code x-amz-date}'s
     * @param payloadHash    the hex SHA-256 of the body (the value of {@code x-amz-content-sha256})
     */
    String authorization(String method, String encodedPath, String canonicalQuery, Map<String, String> headers, String payloadHash) {
        Map<String, String> signed = canonicalHeaders(headers);
        String amzDate = signed.get("x-amz-date");
        if (amzDate == null || amzDate.length() < 8) {
            throw new IllegalArgumentException("the x-amz-date header is signed and must be given");
        }
        String signedHeaders = String.join(";", signed.keySet());
        String canonicalRequest = canonicalRequest(method, encodedPath, canonicalQuery, signed, payloadHash);
        return ALGORITHM + " Credential=" + accessKey + "/" + scope(amzDate) + ",SignedHeaders=" + signedHeaders
                + ",Signature=" + signature(amzDate, stringToSign(amzDate, canonicalRequest));
    }

    static String canonicalRequest(String method, String encodedPath, String canonicalQuery, Map<String, String> headers,
                                   String payloadHash) {
        Map<String, String> signed = canonicalHeaders(headers);
        return method + "\n" + encodedPath + "\n" + (canonicalQuery == null ? "" : canonicalQuery) + "\n"
                + signed.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue() + "\n").collect(Collectors.joining()) + "\n"
                + String.join(";", signed.keySet()) + "\n" + payloadHash;
    }

    String stringToSign(String amzDate, String canonicalRequest) {
        return ALGORITHM + "\n" + amzDate + "\n" + scope(amzDate) + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    String signature(String amzDate, String stringToSign) {
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
        key = hmac(key, region);
        key = hmac(key, SERVICE);
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, stringToSign));
    }

    private String scope(String amzDate) {
        return amzDate.substring(0, 8) + "/" + region + "/" + SERVICE + "/aws4_request";
    }

    /** Lower-case names, sorted; values trimmed, inner runs of spaces made one. */
    private static Map<String, String> canonicalHeaders(Map<String, String> headers) {
        Map<String, String> canonical = new TreeMap<>();
        headers.forEach((name, value) -> canonical.put(name.toLowerCase(Locale.ROOT).strip(), value.strip().replaceAll(" +", " ")));
        return canonical;
    }

    static String amzDate(Instant instant) {
        return AMZ_DATE.format(instant);
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A path of S3 object keys and bucket names: every byte but {@code A-Z a-z 0-9 - . _ ~} and {@code /} as {@code %XY}. */
    static String encodePath(String path) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
                    || c == '~' || c == '/') {
                encoded.append(c);
            } else {
                encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return encoded.toString();
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
}
