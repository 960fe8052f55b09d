package io.switchboard.web;

import java.util.Locale;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * What pages say about stored values, in the reader's language: reasons, channel kinds, provider error codes,
 * history events, anonymous visitors. Templates call it as {@code @texts}; nothing here shows a raw code when
 * the bundles have words for it.
 */
@Component("texts")
class Texts {

    private final MessageSource messages;

    Texts(MessageSource messages) {
        this.messages = messages;
    }

    /** A phrase in the reader's language; an unknown stored sentence as it was written. */
    public String say(Phrase phrase) {
        if (phrase == null) {
            return null;
        }
        if (!phrase.translated()) {
            return phrase.raw();
        }
        return messages.getMessage(phrase.key(), phrase.argsArray(), phrase.key(), locale());
    }

    /** WhatsApp (Twilio), Web chat, API instead of twilio, webchat, api. */
    public String channel(String type) {
        return type == null ? "" : optional("channel.type." + type, type);
    }

    /** A delivery error: our words for the provider's code, else what the provider said, else the code. */
    public String deliveryError(String code, String storedReason) {
        if (code != null && !code.isBlank()) {
            String c = code.strip();
            String known = messages.getMessage("delivery.error." + c, null, null, locale());
            if (known != null) {
                return known;
            }
            if (c.startsWith("http_")) {
                return messages.getMessage("delivery.error.http", new Object[] {c.substring(5)}, locale());
            }
        }
        if (storedReason != null && !storedReason.isBlank()) {
            return storedReason;
        }
        return code == null ? null : messages.getMessage("delivery.error.code", new Object[] {code}, locale());
    }

    /** The name of a history event (AI failed, handed to the queue); an event without words: its type readable. */
    public String event(String type) {
        return optional("event." + type, type == null ? "" : type.replace('_', ' '));
    }

    /** A web chat visitor who gave no name: Site visitor #0412, the number stable per contact. */
    static Phrase visitor(UUID contactId) {
        return Phrase.key("contact.visitor", String.format(Locale.ROOT, "%04d", Math.floorMod(contactId.getLeastSignificantBits(), 10_000L)));
    }

    private String optional(String key, String fallback) {
        return messages.getMessage(key, null, fallback, locale());
    }

    private static Locale locale() {
        return LocaleContextHolder.getLocale();
    }
}
