package io.switchboard.channel.provider;

import static io.switchboard.channel.provider.JsonFields.text;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Meta WhatsApp Cloud API webhooks: {@code entry[].changes[].value.messages[]} become
 * {@link InboundMessage}s (every type, with a summary when there is no text) and
 * {@code value.statuses[]} become {@link StatusUpdate}s. Verify {@link MetaSignature} on the raw
 * bytes first. Stateless and thread-safe.
 */
public class MetaWebhookParser {

    private static final String EXPECTED_OBJECT = "whatsapp_business_account";

    private final JsonMapper mapper;
    private final Clock clock;

    public MetaWebhookParser(JsonMapper mapper) {
        this(mapper, Clock.systemUTC());
    }

    public MetaWebhookParser(JsonMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * @throws MalformedPayloadException when the body is not JSON, {@code object} is not
     *                                   {@code whatsapp_business_account}, {@code entry} is missing,
     *                                   or a message or status lacks its id
     */
    public ParsedWebhook parse(byte[] body) {
        return parse(body, phoneNumberId -> true);
    }

    /**
     * Like {@link #parse(byte[])}, keeping only the changes whose {@code value.metadata.phone_number_id}
     * the predicate accepts (it is given {@code null} when a change names no number). One Meta app often
     * serves several numbers, and every one of its webhooks reaches every subscriber: a change for
     * another number is someone else's customer.
     */
    public ParsedWebhook parse(byte[] body, Predicate<String> forThisNumber) {
        JsonNode root = JsonFields.readTree(mapper, body, "Meta");
        String object = text(root.path("object"));
        if (!EXPECTED_OBJECT.equals(object)) {
            throw new MalformedPayloadException("Meta webhook object is " + (object == null ? "missing" : "'" + object + "'")
                    + ", expected '" + EXPECTED_OBJECT + "'");
        }
        JsonNode entries = root.path("entry");
        if (!entries.isArray()) {
            throw new MalformedPayloadException("Meta webhook lacks the entry array");
        }
        List<InboundMessage> messages = new ArrayList<>();
        List<StatusUpdate> statuses = new ArrayList<>();
        for (JsonNode entry : entries) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                if ((value.has("messages") || value.has("statuses"))
                        && !forThisNumber.test(text(value.path("metadata").path("phone_number_id")))) {
                    continue;
                }
                for (JsonNode message : value.path("messages")) {
                    messages.add(message(message, value, text(entry.path("id"))));
                }
                for (JsonNode status : value.path("statuses")) {
                    status(status).ifPresent(statuses::add);
                }
            }
        }
        return new ParsedWebhook(messages, statuses);
    }

    private InboundMessage message(JsonNode message, JsonNode value, String wabaId) {
        String id = text(message.path("id"));
        if (id == null) {
            throw new MalformedPayloadException("Meta webhook message lacks id");
        }
        String from = text(message.path("from"));
        if (from == null) {
            throw new MalformedPayloadException("Meta webhook message " + id + " lacks from");
        }
        String type = Optional.ofNullable(text(message.path("type"))).orElse("unknown").toLowerCase(Locale.ROOT);

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("type", type);
        putIfPresent(metadata, "phoneNumberId", text(value.path("metadata").path("phone_number_id")));
        putIfPresent(metadata, "displayPhoneNumber", text(value.path("metadata").path("display_phone_number")));
        putIfPresent(metadata, "wabaId", wabaId);
        putIfPresent(metadata, "replyToProviderMessageId", text(message.path("context").path("id")));

        Content content = content(type, message, metadata);
        String digits = from.replaceAll("\\D", "");
        return new InboundMessage(id, from, senderName(value, from), digits.isEmpty() ? null : "+" + digits,
                content.text(), content.contentType(), content.media(), metadata, timestamp(message.path("timestamp")));
    }

    private record Content(String contentType, String text, List<MediaAttachment> media) {
        Content(String contentType, String text) {
            this(contentType, text, List.of());
        }
    }

    private Content content(String type, JsonNode message, Map<String, Object> metadata) {
        switch (type) {
            case "text" -> {
                String body = text(message.path("text").path("body"));
                return new Content("text", body == null ? "[empty message]" : body);
            }
            case "image", "audio", "video", "document", "sticker" -> {
                JsonNode media = message.path(type);
                String fileName = text(media.path("filename"));
                putIfPresent(metadata, "fileName", fileName);
                if (media.path("voice").asBoolean(false)) {
                    metadata.put("voice", true);
                }
                MediaAttachment attachment = new MediaAttachment(null, text(media.path("mime_type")), text(media.path("id")));
                return new Content(type, InboundSummaries.media(type, text(media.path("caption")), fileName),
                        List.of(attachment));
            }
            case "location" -> {
                JsonNode location = message.path("location");
                putIfPresent(metadata, "latitude", text(location.path("latitude")));
                putIfPresent(metadata, "longitude", text(location.path("longitude")));
                return new Content("location", InboundSummaries.location(text(location.path("latitude")),
                        text(location.path("longitude")), text(location.path("name")), text(location.path("address"))));
            }
            case "interactive" -> {
                JsonNode interactive = message.path("interactive");
                JsonNode reply = interactive.has("button_reply") ? interactive.path("button_reply") : interactive.path("list_reply");
                putIfPresent(metadata, "replyId", text(reply.path("id")));
                String title = text(reply.path("title"));
                if (title == null) {
                    // e.g. nfm_reply (flows): keep it, with what we know.
                    return new Content("other", "[interactive reply: " + Optional.ofNullable(text(interactive.path("type"))).orElse("unknown") + "]");
                }
                return new Content("text", title);
            }
            case "button" -> {
                putIfPresent(metadata, "buttonPayload", text(message.path("button").path("payload")));
                String buttonText = text(message.path("button").path("text"));
                return new Content("text", buttonText == null ? "[button reply]" : buttonText);
            }
            case "reaction" -> {
                String emoji = text(message.path("reaction").path("emoji"));
                putIfPresent(metadata, "reactedToProviderMessageId", text(message.path("reaction").path("message_id")));
                return new Content("other", emoji == null ? "[reaction removed]" : "[reaction " + emoji + "]");
            }
            case "contacts" -> {
                String shared = StreamSupport.stream(message.path("contacts").spliterator(), false)
                        .map(MetaWebhookParser::sharedContact)
                        .collect(Collectors.joining("; "));
                return new Content("contact", "👤 Contact: " + (shared.isEmpty() ? "(empty)" : shared));
            }
            default -> {
                // unsupported, system, order, unknown future types: never dropped.
                JsonNode error = message.path("errors").path(0);
                String detail = Optional.ofNullable(text(error.path("error_data").path("details")))
                        .or(() -> Optional.ofNullable(text(error.path("title")))).orElse(null);
                putIfPresent(metadata, "errorCode", text(error.path("code")));
                String systemBody = text(message.path("system").path("body"));
                String summary = systemBody != null ? "[system: " + systemBody + "]"
                        : "[" + type + " message" + (detail == null ? "" : ": " + detail) + "]";
                return new Content("other", summary);
            }
        }
    }

    private static String sharedContact(JsonNode contact) {
        String name = Optional.ofNullable(text(contact.path("name").path("formatted_name")))
                .orElse(text(contact.path("name").path("first_name")));
        String phones = StreamSupport.stream(contact.path("phones").spliterator(), false)
                .map(phone -> text(phone.path("phone")))
                .filter(phone -> phone != null)
                .collect(Collectors.joining(", "));
        return Optional.ofNullable(name).orElse("(no name)") + (phones.isEmpty() ? "" : ", " + phones);
    }

    /** The profile name of the contact with this wa_id, or of the only contact listed. */
    private static String senderName(JsonNode value, String from) {
        JsonNode contacts = value.path("contacts");
        for (JsonNode contact : contacts) {
            if (from.equals(text(contact.path("wa_id")))) {
                return text(contact.path("profile").path("name"));
            }
        }
        return contacts.size() == 1 ? text(contacts.path(0).path("profile").path("name")) : null;
    }

    private Optional<StatusUpdate> status(JsonNode status) {
        String id = text(status.path("id"));
        if (id == null) {
            throw new MalformedPayloadException("Meta webhook status lacks id");
        }
        String reported = text(status.path("status"));
        if (reported == null) {
            throw new MalformedPayloadException("Meta webhook status " + id + " lacks status");
        }
        JsonNode error = status.path("errors").path(0);
        String code = text(error.path("code"));
        String providerMessage = Optional.ofNullable(text(error.path("error_data").path("details")))
                .or(() -> Optional.ofNullable(text(error.path("message"))))
                .orElse(text(error.path("title")));
        String reason = code == null && providerMessage == null ? null : MetaErrors.reason(code, providerMessage);
        return DeliveryStatus.fromMeta(reported)
                .map(deliveryStatus -> new StatusUpdate(id, deliveryStatus, code, reason, timestamp(status.path("timestamp"))));
    }

    /** Meta timestamps are unix seconds as a string; fall back to now when absent or odd. */
    private Instant timestamp(JsonNode node) {
        String value = text(node);
        if (value != null) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                // fall through: a bad timestamp is no reason to lose the message
            }
        }
        return clock.instant();
    }

    private static void putIfPresent(Map<String, Object> metadata, String key, String value) {
        if (value != null) {
            metadata.put(key, value);
        }
    }
}
