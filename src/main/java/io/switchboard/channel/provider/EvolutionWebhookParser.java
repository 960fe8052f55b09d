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
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Evolution API v2 webhooks. {@code messages.upsert} becomes {@link InboundMessage}s, except
 * our own messages ({@code key.fromMe}), groups ({@code @g.us}), broadcasts/status and newsletters,
 * and protocol notices (deletions, key exchanges) that carry no customer content.
 * {@code messages.update} becomes {@link StatusUpdate}s for our own messages. Other events give an
 * empty result. Evolution has no signature: protect the webhook URL with a secret. Thread-safe.
 */
public class EvolutionWebhookParser {

    /** Keys inside {@code message} that describe the envelope, not the content. */
    private static final Set<String> ENVELOPE_KEYS = Set.of("messageContextInfo", "base64", "mediaUrl");

    /** Keys inside {@code message} that wrap the real message one level down. */
    private static final Set<String> WRAPPER_KEYS = Set.of("ephemeralMessage", "viewOnceMessage", "viewOnceMessageV2",
            "viewOnceMessageV2Extension", "documentWithCaptionMessage", "editedMessage");

    private final JsonMapper mapper;
    private final Clock clock;

    public EvolutionWebhookParser(JsonMapper mapper) {
        this(mapper, Clock.systemUTC());
    }

    public EvolutionWebhookParser(JsonMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * @throws MalformedPayloadException when the body is not a JSON object, lacks {@code event}, or a
     *                                   message lacks {@code data}, {@code key.id} or {@code key.remoteJid}
     */
    public ParsedWebhook parse(byte[] body) {
        JsonNode root = JsonFields.readTree(mapper, body, "Evolution");
        String event = text(root.path("event"));
        if (event == null) {
            throw new MalformedPayloadException("Evolution webhook lacks event");
        }
        // Evolution spells events "messages.upsert" in the body and "MESSAGES_UPSERT" in its settings.
        String normalized = event.toLowerCase(Locale.ROOT).replace('_', '.');
        JsonNode data = root.path("data");
        return switch (normalized) {
            case "messages.upsert" -> {
                requireData(data, event);
                List<InboundMessage> messages = new ArrayList<>();
                for (JsonNode item : items(data)) {
                    message(item, text(root.path("instance"))).ifPresent(messages::add);
                }
                yield new ParsedWebhook(messages, List.of());
            }
            case "messages.update" -> {
                requireData(data, event);
                List<StatusUpdate> statuses = new ArrayList<>();
                for (JsonNode item : items(data)) {
                    status(item).ifPresent(statuses::add);
                }
                yield new ParsedWebhook(List.of(), statuses);
            }
            default -> ParsedWebhook.empty();
        };
    }

    private static void requireData(JsonNode data, String event) {
        if (!data.isObject() && !data.isArray()) {
            throw new MalformedPayloadException("Evolution " + event + " webhook lacks data");
        }
    }

    private static Iterable<JsonNode> items(JsonNode data) {
        return data.isArray() ? data : List.of(data);
    }

    private Optional<InboundMessage> message(JsonNode item, String instance) {
        JsonNode key = item.path("key");
        String id = text(key.path("id"));
        String remoteJid = text(key.path("remoteJid"));
        if (id == null) {
            throw new MalformedPayloadException("Evolution message lacks key.id");
        }
        if (remoteJid == null) {
            throw new MalformedPayloadException("Evolution message " + id + " lacks key.remoteJid");
        }
        if (key.path("fromMe").asBoolean(false) || isNotACustomerChat(remoteJid)) {
            return Optional.empty();
        }
        JsonNode message = unwrap(item.path("message"));
        String type = contentKey(message, text(item.path("messageType")));
        if (type == null) {
            throw new MalformedPayloadException("Evolution message " + id + " lacks message content");
        }
        if (type.equals("protocolMessage") || type.equals("senderKeyDistributionMessage")) {
            return Optional.empty();
        }

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("messageType", type);
        metadata.put("remoteJid", remoteJid);
        if (instance != null) {
            metadata.put("instance", instance);
        }
        Content content = content(type, message, id, item, metadata);

        String identifier = remoteJid.substring(0, remoteJid.indexOf('@') < 0 ? remoteJid.length() : remoteJid.indexOf('@'));
        return Optional.of(new InboundMessage(id, identifier, text(item.path("pushName")), phone(remoteJid, key),
                content.text(), content.contentType(), content.media(), metadata, timestamp(item.path("messageTimestamp"))));
    }

    private record Content(String contentType, String text, List<MediaAttachment> media) {
        Content(String contentType, String text) {
            this(contentType, text, List.of());
        }
    }

    private Content content(String type, JsonNode message, String id, JsonNode item, Map<String, Object> metadata) {
        JsonNode body = message.path(type);
        putIfPresent(metadata, "replyToProviderMessageId", text(body.path("contextInfo").path("stanzaId")));
        switch (type) {
            case "conversation" -> {
                return new Content("text", Optional.ofNullable(text(body)).orElse("[empty message]"));
            }
            case "extendedTextMessage" -> {
                return new Content("text", Optional.ofNullable(text(body.path("text"))).orElse("[empty message]"));
            }
            case "imageMessage", "audioMessage", "videoMessage", "documentMessage", "stickerMessage" -> {
                String contentType = type.substring(0, type.length() - "Message".length());
                String fileName = text(body.path("fileName"));
                putIfPresent(metadata, "fileName", fileName);
                if (body.path("ptt").asBoolean(false)) {
                    metadata.put("voice", true);
                }
                // Evolution's mediaUrl (S3/MinIO) is fetchable; WhatsApp's url is encrypted (.enc).
                String url = Optional.ofNullable(text(message.path("mediaUrl"))).orElse(text(body.path("url")));
                MediaAttachment attachment = new MediaAttachment(url, text(body.path("mimetype")), id);
                return new Content(contentType, InboundSummaries.media(contentType, text(body.path("caption")), fileName),
                        List.of(attachment));
            }
            case "locationMessage", "liveLocationMessage" -> {
                String latitude = text(body.path("degreesLatitude"));
                String longitude = text(body.path("degreesLongitude"));
                putIfPresent(metadata, "latitude", latitude);
                putIfPresent(metadata, "longitude", longitude);
                return new Content("location", InboundSummaries.location(latitude, longitude,
                        text(body.path("name")), text(body.path("address"))));
            }
            case "contactMessage" -> {
                return new Content("contact", "👤 Contact: " + Optional.ofNullable(text(body.path("displayName"))).orElse("(no name)"));
            }
            case "contactsArrayMessage" -> {
                List<String> names = new ArrayList<>();
                body.path("contacts").forEach(contact -> names.add(Optional.ofNullable(text(contact.path("displayName"))).orElse("(no name)")));
                return new Content("contact", "👤 Contact: " + (names.isEmpty() ? "(empty)" : String.join("; ", names)));
            }
            case "reactionMessage" -> {
                String emoji = text(body.path("text"));
                putIfPresent(metadata, "reactedToProviderMessageId", text(body.path("key").path("id")));
                return new Content("other", emoji == null ? "[reaction removed]" : "[reaction " + emoji + "]");
            }
            case "buttonsResponseMessage", "templateButtonReplyMessage" -> {
                return new Content("text", Optional.ofNullable(text(body.path("selectedDisplayText"))).orElse("[button reply]"));
            }
            case "listResponseMessage" -> {
                return new Content("text", Optional.ofNullable(text(body.path("title"))).orElse("[list reply]"));
            }
            default -> {
                return new Content("other", "[" + type + "]");
            }
        }
    }

    /** Groups, status broadcasts, broadcast lists and channels are not one-to-one customer chats. */
    private static boolean isNotACustomerChat(String remoteJid) {
        return remoteJid.endsWith("@g.us") || remoteJid.endsWith("@broadcast") || remoteJid.endsWith("@newsletter");
    }

    /** E.164 from a phone JID, or from the alternate JID Evolution sends for LID-addressed chats. */
    private static String phone(String remoteJid, JsonNode key) {
        for (String jid : new String[] {remoteJid, text(key.path("remoteJidAlt")), text(key.path("senderPn"))}) {
            if (jid != null && jid.endsWith("@s.whatsapp.net")) {
                String digits = jid.substring(0, jid.indexOf('@')).replaceAll("\\D", "");
                if (!digits.isEmpty()) {
                    return "+" + digits;
                }
            }
        }
        return null;
    }

    /** Ephemeral / view-once / captioned-document wrappers hold the real message under 'message'. */
    private static JsonNode unwrap(JsonNode message) {
        JsonNode current = message;
        for (int depth = 0; depth < 3; depth++) {
            JsonNode inner = null;
            for (String wrapper : WRAPPER_KEYS) {
                if (current.path(wrapper).path("message").isObject()) {
                    inner = current.path(wrapper).path("message");
                    break;
                }
            }
            if (inner == null) {
                return current;
            }
            current = inner;
        }
        return current;
    }

    /** The key of the content inside {@code message}: messageType when it matches, else the first real one. */
    private static String contentKey(JsonNode message, String messageType) {
        if (!message.isObject()) {
            return null;
        }
        if (messageType != null && message.has(messageType)) {
            return messageType;
        }
        for (String name : message.propertyNames()) {
            if (!ENVELOPE_KEYS.contains(name) && !message.path(name).isNull()) {
                return name;
            }
        }
        return null;
    }

    private Optional<StatusUpdate> status(JsonNode item) {
        String id = Optional.ofNullable(text(item.path("keyId"))).orElse(text(item.path("key").path("id")));
        if (id == null) {
            throw new MalformedPayloadException("Evolution messages.update lacks keyId");
        }
        JsonNode fromMe = item.has("fromMe") ? item.path("fromMe") : item.path("key").path("fromMe");
        if (fromMe.isBoolean() && !fromMe.asBoolean()) {
            return Optional.empty(); // a receipt about the customer's message, not about our delivery
        }
        JsonNode statusNode = item.has("status") ? item.path("status") : item.path("update").path("status");
        return deliveryStatus(statusNode).map(status -> new StatusUpdate(id, status,
                status == DeliveryStatus.FAILED ? "ERROR" : null,
                status == DeliveryStatus.FAILED ? "WhatsApp reported an error delivering the message" : null,
                clock.instant()));
    }

    /** Evolution sends Baileys' names (DELIVERY_ACK…) or, in some versions, their numbers (3…). */
    private static Optional<DeliveryStatus> deliveryStatus(JsonNode node) {
        String value = text(node);
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.strip().toUpperCase(Locale.ROOT)) {
            case "PENDING", "1" -> Optional.of(DeliveryStatus.QUEUED);
            case "SERVER_ACK", "2" -> Optional.of(DeliveryStatus.SENT);
            case "DELIVERY_ACK", "3" -> Optional.of(DeliveryStatus.DELIVERED);
            case "READ", "PLAYED", "4", "5" -> Optional.of(DeliveryStatus.READ);
            case "ERROR", "0" -> Optional.of(DeliveryStatus.FAILED);
            default -> Optional.empty();
        };
    }

    /** messageTimestamp: unix seconds as number or string (or a protobuf Long object with 'low'). */
    private Instant timestamp(JsonNode node) {
        JsonNode value = node.isObject() ? node.path("low") : node;
        String seconds = text(value);
        if (seconds != null) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(seconds.strip()));
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
