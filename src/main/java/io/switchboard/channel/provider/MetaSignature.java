package io.switchboard.channel.provider;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies Meta's {@code X-Hub-Signature-256}: {@code sha256=} + lowercase hex HMAC-SHA256 of the
 * raw request body keyed with the app secret. Always pass the bytes as received: re-serialized JSON
 * (different spacing or escaping) would not match.
 */
public final class MetaSignature {

    private static final String PREFIX = "sha256=";

    private MetaSignature() {
    }

    /** True when {@code header} is the signature of {@code rawBody}; null or blank input is never valid. */
    public static boolean isValid(byte[] rawBody, String header, String appSecret) {
        if (rawBody == null || header == null || header.isBlank() || appSecret == null || appSecret.isEmpty()) {
            return false;
        }
        byte[] expected = header.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = compute(rawBody, appSecret).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(actual, expected);
    }

    /** The header value Meta would send for this body: {@code sha256=<lowercase hex>}. */
    public static String compute(byte[] rawBody, String appSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(rawBody));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
