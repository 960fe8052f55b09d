package io.switchboard.channel.provider;

import java.util.Map;
import java.util.Set;

/** Meta Cloud API error codes: readable explanations, and which ones are worth retrying. */
final class MetaErrors {

    /** Rate limits (4, 80007, 130429, 131048, 131056) and temporary failures (1, 2, 131000). */
    static final Set<String> RETRYABLE_CODES = Set.of("4", "80007", "130429", "131048", "131056", "1", "2", "131000");

    private static final ErrorReasons REASONS = new ErrorReasons("Meta", Map.ofEntries(
            Map.entry("131047", "Re-engagement required: more than 24 hours since the customer last replied, "
                    + "only an approved template can be sent"),
            Map.entry("131026", "Message undeliverable: the number may not be on WhatsApp or the app is outdated"),
            Map.entry("131030", "Recipient is not in the allowed list of this test number"),
            Map.entry("131049", "Meta did not deliver this marketing message to keep engagement healthy"),
            Map.entry("131050", "The customer stopped marketing messages from this business"),
            Map.entry("131051", "Unsupported message type"),
            Map.entry("131052", "Media download failed"),
            Map.entry("131053", "Media upload failed: check the media URL and type"),
            Map.entry("131042", "Business eligibility or payment issue on the WhatsApp Business Account"),
            Map.entry("131031", "The WhatsApp Business Account is restricted or locked"),
            Map.entry("133010", "The phone number is not registered on the WhatsApp Business Platform"),
            Map.entry("190", "Meta access token expired or invalid: generate a new one"),
            Map.entry("10", "Permission denied: the access token lacks whatsapp_business_messaging"),
            Map.entry("100", "Invalid parameter in the request to Meta"),
            Map.entry("368", "Temporarily blocked for policy violations"),
            Map.entry("4", "Too many API calls for this app (rate limit)"),
            Map.entry("80007", "WhatsApp Business Account rate limit reached"),
            Map.entry("130429", "Cloud API throughput limit reached"),
            Map.entry("131048", "Spam rate limit reached: too many messages were blocked or reported"),
            Map.entry("131056", "Too many messages to the same customer in a short time"),
            Map.entry("131000", "Something went wrong at Meta (temporary)"),
            Map.entry("1", "Meta API unknown error (temporary)"),
            Map.entry("2", "Meta API service temporarily unavailable")));

    private MetaErrors() {
    }

    /** Our readable text for a known code, else the provider's own message, else a generic mention. */
    static String reason(String code, String providerMessage) {
        return REASONS.reason(code, providerMessage);
    }
}
