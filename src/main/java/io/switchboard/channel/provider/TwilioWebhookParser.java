package io.switchboard.channel.provider;

import static io.switchboard.channel.provider.InboundSummaries.blankToNull;
import static io.switchboard.channel.provider.InboundSummaries.isBlank;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Twilio's form-encoded webhooks (WhatsApp and SMS): inbound messages and status callbacks.
 * Verify {@link TwilioSignature} first. Stateless and thread-safe.
 *
 * <p>Twilio sends no timestamp with inbound messages, so {@code sentAt} is the time of parsing.
 */
public class TwilioWebhookParser {

    private static final String WHATSAPP_PREFIX = "whatsapp:";

    private final Clock clock;

    public TwilioWebhookParser() {
        this(Clock.systemUTC());
    }

    public TwilioWebhookParser(Clock clock) {
        this.clock = clock;
    }

    /**
     * @throws MalformedPayloadException when {@code MessageSid} (or {@code SmsSid}) or {@code From} is missing
     */
    public InboundMessage parseMessage(Map<String, String> form) {
        Map<String, String> params = form == null ? Map.of() : form;
        String sid = firstPresent(params, "MessageSid", "SmsMessageSid", "SmsSid")
                .orElseThrow(() -> new MalformedPayloadException("Twilio webhook lacks MessageSid"));
        String from = blankToNull(params.get("From"));
        if (from == null) {
            throw new MalformedPayloadException("Twilio webhook lacks From");
        }
        String identifier = from.regionMatches(true, 0, WHATSAPP_PREFIX, 0, WHATSAPP_PREFIX.length())
                ? from.substring(WHATSAPP_PREFIX.length()) : from;
        String waId = blankToNull(params.get("WaId"));
        String phone = identifier.matches("\\+\\d{6,15}") ? identifier
                : waId != null && waId.matches("\\d{6,15}") ? "+" + waId : null;

        List<MediaAttachment> media = media(params);
        String body = blankToNull(params.get("Body"));
        String messageType = blankToNull(params.get("MessageType"));
        String latitude = blankToNull(params.get("Latitude"));
        String longitude = blankToNull(params.get("Longitude"));

        String contentType;
        String text;
        if (latitude != null && longitude != null) {
            contentType = "location";
            text = InboundSummaries.location(latitude, longitude, params.get("Label"), params.get("Address"));
        } else if (!media.isEmpty()) {
            contentType = "sticker".equalsIgnoreCase(messageType) ? "sticker"
                    : InboundSummaries.contentTypeOfMime(media.get(0).contentType());
            text = InboundSummaries.media(contentType, body, null);
        } else if (body != null) {
            contentType = "text";
            text = body;
        } else {
            // Button replies carry ButtonText; anything else is still kept, with a summary.
            String buttonText = blankToNull(params.get("ButtonText"));
            contentType = buttonText != null ? "text" : "other";
            text = buttonText != null ? buttonText
                    : "[" + (messageType == null ? "message" : messageType.toLowerCase(Locale.ROOT)) + " without text]";
        }

        Map<String, Object> metadata = new LinkedHashMap<>();
        putIfPresent(metadata, "to", params.get("To"));
        putIfPresent(metadata, "accountSid", params.get("AccountSid"));
        putIfPresent(metadata, "messagingServiceSid", params.get("MessagingServiceSid"));
        putIfPresent(metadata, "waId", waId);
        putIfPresent(metadata, "messageType", messageType);
        putIfPresent(metadata, "numSegments", params.get("NumSegments"));
        putIfPresent(metadata, "latitude", latitude);
        putIfPresent(metadata, "longitude", longitude);
        putIfPresent(metadata, "address", params.get("Address"));
        putIfPresent(metadata, "label", params.get("Label"));
        putIfPresent(metadata, "buttonPayload", params.get("ButtonPayload"));
        putIfPresent(metadata, "replyToProviderMessageId", params.get("OriginalRepliedMessageSid"));
        putIfPresent(metadata, "channel", from.startsWith(WHATSAPP_PREFIX) ? "whatsapp" : "sms");

        return new InboundMessage(sid, identifier, blankToNull(params.get("ProfileName")), phone, text,
                contentType, media, metadata, clock.instant());
    }

    /**
     * A status callback, or empty when the status is not about delivery (e.g. {@code received}).
     *
     * @throws MalformedPayloadException when {@code MessageSid} or {@code MessageStatus} is missing
     */
    public Optional<StatusUpdate> parseStatus(Map<String, String> form) {
        Map<String, String> params = form == null ? Map.of() : form;
        String sid = firstPresent(params, "MessageSid", "SmsSid")
                .orElseThrow(() -> new MalformedPayloadException("Twilio status callback lacks MessageSid"));
        String status = firstPresent(params, "MessageStatus", "SmsStatus")
                .orElseThrow(() -> new MalformedPayloadException("Twilio status callback lacks MessageStatus"));
        String errorCode = blankToNull(params.get("ErrorCode"));
        if ("0".equals(errorCode)) {
            errorCode = null;
        }
        String reason = errorCode == null ? null : TwilioErrors.reason(errorCode, params.get("ErrorMessage"));
        String code = errorCode;
        return DeliveryStatus.fromTwilio(status)
                .map(deliveryStatus -> new StatusUpdate(sid, deliveryStatus, code, reason, clock.instant()));
    }

    private static List<MediaAttachment> media(Map<String, String> params) {
        int count;
        try {
            count = isBlank(params.get("NumMedia")) ? 0 : Integer.parseInt(params.get("NumMedia").strip());
        } catch (NumberFormatException e) {
            throw new MalformedPayloadException("Twilio webhook NumMedia is not a number: " + params.get("NumMedia"));
        }
        List<MediaAttachment> media = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String url = blankToNull(params.get("MediaUrl" + i));
            if (url == null) {
                throw new MalformedPayloadException("Twilio webhook says NumMedia=" + count + " but lacks MediaUrl" + i);
            }
            media.add(new MediaAttachment(url, blankToNull(params.get("MediaContentType" + i)), mediaSid(url)));
        }
        return media;
    }

    /** Twilio media URLs end with the media SID: …/Messages/MM…/Media/ME…. */
    private static String mediaSid(String url) {
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() ? null : last;
    }

    private static Optional<String> firstPresent(Map<String, String> params, String... names) {
        for (String name : names) {
            String value = blankToNull(params.get(name));
            if (value != null) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static void putIfPresent(Map<String, Object> metadata, String key, String value) {
        String present = blankToNull(value);
        if (present != null) {
            metadata.put(key, present);
        }
    }
}
