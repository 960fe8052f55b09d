package io.switchboard.outbound;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** A response as received: status, headers, the body (within the size cap) and how long the call took. */
public record OutboundResponse(int status, HttpHeaders headers, byte[] body, Duration duration) {

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean successful() {
        return status >= 200 && status < 300;
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }
}
