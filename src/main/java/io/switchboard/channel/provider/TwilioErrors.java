package io.switchboard.channel.provider;

import java.util.Map;

/** Readable explanations for the Twilio error codes a WhatsApp/SMS operator actually meets. */
final class TwilioErrors {

    private static final ErrorReasons REASONS = new ErrorReasons("Twilio", Map.ofEntries(
            Map.entry("63016", "Outside the WhatsApp 24-hour window: only approved templates can be sent"),
            Map.entry("21211", "Invalid 'To' phone number"),
            Map.entry("21610", "Recipient has opted out (STOP)"),
            Map.entry("21408", "Sending to this region is not enabled on the Twilio account"),
            Map.entry("21606", "The 'From' number is not a valid sender for this Twilio account"),
            Map.entry("21614", "'To' number is not a mobile number"),
            Map.entry("20003", "Twilio authentication failed: check the Account SID and Auth Token"),
            Map.entry("20429", "Too many requests to Twilio"),
            Map.entry("30003", "Unreachable destination handset (phone off or out of coverage)"),
            Map.entry("30005", "Unknown destination handset (the number may not exist)"),
            Map.entry("30006", "Landline or unreachable carrier"),
            Map.entry("30007", "Message filtered by the carrier (spam or content rules)"),
            Map.entry("30008", "Unknown error delivering the message"),
            Map.entry("63003", "The recipient is not a valid WhatsApp user"),
            Map.entry("63007", "No WhatsApp sender configured on Twilio for the 'From' address"),
            Map.entry("63018", "WhatsApp rate limit exceeded for this sender")));

    private TwilioErrors() {
    }

    /** Our readable text for a known code, else the provider's own message, else a generic mention. */
    static String reason(String code, String providerMessage) {
        return REASONS.reason(code, providerMessage);
    }
}
