package io.switchboard.channel.provider;

import static io.switchboard.channel.provider.JsonFields.text;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Telegram Bot API updates ({@code {'update_id':…,'message':{'message_id','from','chat','date','text'}}}).
 * Only {@code message} of private chats from people becomes an {@link InboundMessage}: groups, channels, bots,
 * edits and other update kinds give an empty result. Telegram's {@code message_id} is unique per chat only, so
 * the provider id is {@code <chat id>:<message id>}; the sender identifier is the chat id we answer to. Telegram
 * signs nothing: the webhook's {@code X-Telegram-Bot-Api-Secret-Token} header carries the secret given to
 * {@code setWebhook}. Thread-safe.
 */
public class TelegramWebhookParser {

    private final JsonMapper mapper;
    private final Clock clock;

    public TelegramWebhookParser(JsonMapper mapper) {
        this(mapper, Clock.systemUTC());
    }

    public TelegramWebhookParser(JsonMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /** @throws MalformedPayloadException when the body is not an update or a message lacks its ids */
    public ParsedWebhook parse(byte[] body) {
        JsonNode root = JsonFields.readTree(mapper, body, "Telegram");
        if (!root.path("update_id").isNumber()) {
            throw new MalformedPayloadException("Telegram update lacks update_id");
        }
        JsonNode message = root.path("message");
        if (!message.isObject()) {
            return ParsedWebhook.empty();
        }
        String messageId = text(message.path("message_id"));
        String chatId = text(message.path("chat").path("id"));
        if (messageId == null || chatId == null) {
            throw new MalformedPayloadException("Telegram message lacks message_id or chat.id");
        }
        JsonNode from = message.path("from");
        if (!"private".equals(text(message.path("chat").path("type"))) || from.path("is_bot").asBoolean(false)) {
            return ParsedWebhook.empty();
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        Optional.ofNullable(text(from.path("username"))).ifPresent(u -> metadata.put("username", u));
        Optional.ofNullable(text(from.path("language_code"))).ifPresent(l -> metadata.put("languageCode", l));
        Optional.ofNullable(text(message.path("reply_to_message").path("message_id")))
                .ifPresent(r -> metadata.put("replyToProviderMessageId", chatId + ":" + r));

        String name = Stream.of(text(from.path("first_name")), text(from.path("last_name"))).filter(s -> s != null)
                .collect(Collectors.joining(" "));
        JsonNode contact = message.path("contact");
        // a phone number counts only when people share their own contact, not someone else's
        String shared = text(contact.path("phone_number"));
        String phone = shared != null && text(contact.path("user_id")) != null
                && text(contact.path("user_id")).equals(text(from.path("id"))) ? "+" + shared.replaceAll("\\D", "") : null;

        Content content = content(message);
        return new ParsedWebhook(List.of(new InboundMessage(chatId + ":" + messageId, chatId, name.isBlank() ? null : name, phone,
                content.text(), content.type(), content.media(), metadata, timestamp(message.path("date")))), List.of());
    }

    private record Content(String text, String type, List<MediaAttachment> media) {
    }

    private static Content content(JsonNode message) {
        String text = text(message.path("text"));
        if (text != null) {
            return new Content(text, "text", List.of());
        }
        String caption = text(message.path("caption"));
        List<MediaAttachment> media = new ArrayList<>();
        if (message.path("photo").isArray() && !message.path("photo").isEmpty()) {
            JsonNode largest = message.path("photo").get(message.path("photo").size() - 1);
            media.add(new MediaAttachment(null, "image/jpeg", text(largest.path("file_id"))));
            return new Content(caption != null ? caption : "[image]", "image", media);
        }
        for (String[] kind : new String[][] {{"voice", "audio"}, {"audio", "audio"}, {"video", "video"}, {"video_note", "video"},
                {"document", "document"}}) {
            JsonNode file = message.path(kind[0]);
            if (file.isObject()) {
                media.add(new MediaAttachment(null, text(file.path("mime_type")), text(file.path("file_id"))));
                String summary = kind[1].equals("document") && text(file.path("file_name")) != null
                        ? "[document: " + text(file.path("file_name")) + "]" : "[" + kind[1] + "]";
                return new Content(caption != null ? caption : summary, kind[1], media);
            }
        }
        if (message.path("location").isObject()) {
            return new Content("📍 Location: " + text(message.path("location").path("latitude")) + ", "
                    + text(message.path("location").path("longitude")), "location", List.of());
        }
        if (message.path("contact").isObject()) {
            JsonNode contact = message.path("contact");
            return new Content("👤 Contact: " + Optional.ofNullable(text(contact.path("first_name"))).orElse("(no name)") + ", "
                    + text(contact.path("phone_number")), "contact", List.of());
        }
        if (message.path("sticker").isObject()) {
            String emoji = text(message.path("sticker").path("emoji"));
            return new Content(emoji == null ? "[sticker]" : "[sticker " + emoji + "]", "sticker", List.of());
        }
        return new Content("[message]", "other", List.of());
    }

    private Instant timestamp(JsonNode node) {
        return node.isNumber() ? Instant.ofEpochSecond(node.asLong()) : clock.instant();
    }
}
