package io.switchboard.channel.provider;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies {@code X-Twilio-Signature}: Base64 HMAC-SHA1, keyed with the account's auth token, of the
 * full URL Twilio called followed by every POST parameter sorted by name as {@code name + value}.
 *
 * <p>Like twilio-java's {@code RequestValidator}, the URL is accepted with and without the default
 * port ({@code :443} for https, {@code :80} for http), because proxies and Twilio disagree on it.
 */
public final class TwilioSignature {

    private TwilioSignature() {
    }

    /**
     * @param url             the public URL Twilio posted to, including the query string
     * @param params          all form parameters received (Twilio adds new ones without notice)
     * @param signatureHeader value of {@code X-Twilio-Signature}; null or blank is never valid
     * @param authToken       the account's auth token
     */
    public static boolean isValid(String url, Map<String, String> params, String signatureHeader,
                                  String authToken) {
        if (signatureHeader == null || signatureHeader.isBlank() || url == null
                || authToken == null || authToken.isEmpty()) {
            return false;
        }
        byte[] expected = signatureHeader.trim().getBytes(StandardCharsets.UTF_8);
        boolean valid = false;
        // Check every variant without short-circuit so timing does not reveal which one matched.
        for (String candidate : urlVariants(url)) {
            byte[] actual = compute(candidate, params, authToken).getBytes(StandardCharsets.UTF_8);
            valid |= MessageDigest.isEqual(actual, expected);
        }
        return valid;
    }

    /** The signature Twilio would send for this exact URL and parameters. */
    public static String compute(String url, Map<String, String> params, String authToken) {
        StringBuilder data = new StringBuilder(url);
        if (params != null) {
            // Sorted by name, case-sensitive (String natural order), as Twilio does.
            new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value == null ? "" : value));
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available in this JVM", e);
        }
    }

    /** The URL as given, plus the same URL with the default port added or removed. */
    private static Set<String> urlVariants(String url) {
        Set<String> variants = new LinkedHashSet<>();
        variants.add(url);
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (scheme == null || uri.getRawAuthority() == null || uri.getHost() == null) {
                return variants;
            }
            int defaultPort = switch (scheme.toLowerCase(Locale.ROOT)) {
                case "https" -> 443;
                case "http" -> 80;
                default -> -1;
            };
            if (defaultPort == -1) {
                return variants;
            }
            if (uri.getPort() == -1) {
                variants.add(withPort(uri, defaultPort));
            } else if (uri.getPort() == defaultPort) {
                variants.add(withPort(uri, -1));
            }
        } catch (URISyntaxException e) {
            // An unparsable URL can still be signed as-is; there is just no port variant.
        }
        return variants;
    }

    /** Rebuilds the URL from its raw parts so percent-encoding stays exactly as Twilio signed it. */
    private static String withPort(URI uri, int port) {
        StringBuilder rebuilt = new StringBuilder(uri.getScheme()).append("://");
        if (uri.getRawUserInfo() != null) {
            rebuilt.append(uri.getRawUserInfo()).append('@');
        }
        rebuilt.append(uri.getHost());
        if (port != -1) {
            rebuilt.append(':').append(port);
        }
        if (uri.getRawPath() != null) {
            rebuilt.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            rebuilt.append('?').append(uri.getRawQuery());
        }
        if (uri.getRawFragment() != null) {
            rebuilt.append('#').append(uri.getRawFragment());
        }
        return rebuilt.toString();
    }
}
