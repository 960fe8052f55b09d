package io.switchboard.channel.provider;

import java.util.Map;

/** A provider's error codes in words a person can act on, falling back to the provider's own message. */
record ErrorReasons(String provider, Map<String, String> known) {

    /** Our readable text for a known code, else the provider's message, else a generic mention of the code. */
    String reason(String code, String providerMessage) {
        String readable = code == null ? null : known.get(code.strip());
        if (readable != null) {
            return readable;
        }
        if (providerMessage != null && !providerMessage.isBlank()) {
            return providerMessage.strip();
        }
        return code == null ? null : provider + " error " + code.strip();
    }
}
