package io.switchboard.outbound;

import io.switchboard.refusal.InvalidInput;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Decides whether a tenant-settable URL may be called: http or https, a host, and — unless the operator allows
 * private addresses — every address the host resolves to public. Checked when the URL is saved (a clear 400)
 * and again before each call (DNS may have changed since).
 */
@Component
public class OutboundGuard {

    private final OutboundProperties properties;

    public OutboundGuard(OutboundProperties properties) {
        this.properties = properties;
    }

    /** Why {@code url} may not be called, or empty when it may. */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            return Optional.of("'" + url + "' is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("'" + url + "' must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return Optional.of("'" + url + "' has no host");
        }
        return hostRefusal(uri.getHost());
    }

    /** Why {@code host} (a name or an address) may not be reached, or empty when it may. */
    public Optional<String> hostRefusal(String host) {
        if (properties.allowPrivateAddresses()) {
            return Optional.empty();
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            return Optional.of("the host '" + host + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                return Optional.of("the host '" + host + "' resolves to the internal address " + address.getHostAddress()
                        + "; calls to private, loopback and link-local addresses are refused "
                        + "(an operator can allow them with switchboard.outbound.allow-private-addresses)");
            }
        }
        return Optional.empty();
    }

    /**
     * The URL as a URI when it may be called; otherwise a 400 naming {@code field}.
     */
    public URI requireAllowed(String field, String url) {
        Optional<String> refusal = refusal(url);
        if (refusal.isPresent()) {
            throw new InvalidInput(field + ": " + refusal.get());
        }
        return URI.create(url.strip());
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // fc00::/7 unique local
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0                                   // 0.0.0.0/8 "this network"
                || (first == 100 && second >= 64 && second < 128) // 100.64.0.0/10 carrier-grade NAT
                || (first == 198 && (second == 18 || second == 19)); // 198.18.0.0/15 benchmarking
    }
}
