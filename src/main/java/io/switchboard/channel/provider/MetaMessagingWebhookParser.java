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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Meta's Messenger Platform webhooks, which Instagram Direct ({@code object: instagram}) and Facebook
 * Messenger ({@code object: page}) share: {@code entry[].messaging[]} with {@code sender.id} (the IGSID or PSID
 * we answer to), {@code recipient.id} (our account), {@code timestamp} in milliseconds and {@code message.mid},
 * {@code message.text} and {@code message.attachments}. Our own messages come back as echoes
 * ({@code message.is_echo}) and are skipped; {@code delivery.mids} and {@code read.mid} become statuses. The
 * signature is X-Hub-Signature-256 as for WhatsApp Cloud (see {@link MetaSignature}). Thread-safe.
 */
public class MetaMessagingWebhookParser {

    private final JsonMapper mapper;
    private final Clock clock;

    public MetaMessagingWebhookParser(JsonMapper mapper) {
        this(mapper, Clock.systemUTC());
    }

    public MetaMessagingWebhookParser(JsonMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * @param object     the webhook object this account expects: {@code instagram} or {@code page}
     * @param ourAccount whether an {@code entry.id} is this channel account's (one app may serve several)
     * @throws MalformedPayloadException when the body is not a JSON object of that object, or a message lacks
     *                                   {@code mid} or {@code sender.id}
     */
    public ParsedWebhook parse(byte[] body, String object, Predicate<String> ourAccount) {
        JsonNode root = JsonFields.readTree(mapper, body, "Meta");
        String given = text(root.path("object"));
        if (!object.equals(given)) {
            throw new MalformedPayloadException("Meta webhook object is '" + given + "', expected '" + object + "'");
        }
        List<InboundMessage> messages = new ArrayList<>();
        List<StatusUpdate> statuses = new ArrayList<>();
        for (JsonNode entry : root.path("entry")) {
            if (!ourAccount.test(text(entry.path("id")))) {
                continue;
            }
            for (JsonNode event : entry.path("messaging")) {
                Instant at = timestamp(event.path("timestamp"));
                if (event.path("message").isObject()) {
                    message(event, at).ifPresent(messages::add);
                }
                for (JsonNode mid : event.path("delivery").path("mids")) {
                    Optional.ofNullable(text(mid)).ifPresent(id -> statuses.add(new StatusUpdate(id, DeliveryStatus.DELIVERED, null, null, at)));
                }
                Optional.ofNullable(text(event.path("read").path("mid")))
                        .ifPresent(id -> statuses.add(new StatusUpdate(id, DeliveryStatus.READ, null, null, at)));
            }
        }
        return new ParsedWebhook(messages, statuses);
    }

    private Optional<InboundMessage> message(JsonNode event, Instant at) {
        JsonNode message = event.path("message");
        if (message.path("is_echo").asBoolean(false) || message.path("is_deleted").asBoolean(false)) {
            return Optional.empty();
        }
        String mid = text(message.path("mid"));
        if (mid == null) {
            throw new MalformedPayloadException("Meta messaging event lacks message.mid");
        }
        String sender = text(event.path("sender").path("id"));
        if (sender == null) {
            throw new MalformedPayloadException("Meta message " + mid + " lacks sender.id");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("recipient", text(event.path("recipient").path("id")));
        Optional.ofNullable(text(message.path("reply_to").path("mid"))).ifPresent(r -> metadata.put("replyToProviderMessageId", r));
        Optional.ofNullable(text(message.path("quick_reply").path("payload"))).ifPresent(p -> metadata.put("quickReplyPayload", p));

        List<MediaAttachment> media = new ArrayList<>();
        String kind = null;
        for (JsonNode attachment : message.path("attachments")) {
            String type = Optional.ofNullable(text(attachment.path("type"))).orElse("file").toLowerCase(Locale.ROOT);
            kind = kind == null ? type : kind;
            String url = text(attachment.path("payload").path("url"));
            if (url != null) {
                media.add(new MediaAttachment(url, null, null));
            }
        }
        String text = text(message.path("text"));
        String contentType = kind == null ? "text" : switch (kind) {
            case "image", "audio", "video", "location" -> kind;
            case "file" -> "document";
            default -> "other";
        };
        if (text == null) {
            text = kind == null ? "[message]" : "[" + kind + "]";
        }
        return Optional.of(new InboundMessage(mid, sender, null, null, text, contentType, media, metadata, at));
    }

    /** Messenger timestamps are unix milliseconds; fall back to now when absent. */
    private Instant timestamp(JsonNode node) {
        return node.isNumber() ? Instant.ofEpochMilli(node.asLong()) : clock.instant();
    }
}
