package io.switchboard.channel.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioWebhookParserTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final TwilioWebhookParser parser = new TwilioWebhookParser(Clock.fixed(NOW, ZoneOffset.UTC));

    private static Map<String, String> whatsAppForm() {
        Map<String, String> form = new HashMap<>();
        form.put("MessageSid", "SM0123456789abcdef0123456789abcdef");
        form.put("SmsMessageSid", "SM0123456789abcdef0123456789abcdef");
        form.put("AccountSid", "AC0123456789abcdef0123456789abcdef");
        form.put("From", "whatsapp:+5511999998888");
        form.put("To", "whatsapp:+14155238886");
        form.put("ProfileName", "Maria");
        form.put("WaId", "5511999998888");
        form.put("NumMedia", "0");
        form.put("NumSegments", "1");
        form.put("SmsStatus", "received");
        form.put("ApiVersion", "2010-04-01");
        return form;
    }

    @Test
    void a_whatsapp_text_gives_the_customer_phone_name_and_text() {
        Map<String, String> form = whatsAppForm();
        form.put("Body", "Olá, meu pedido chegou?");
        form.put("MessageType", "text");

        InboundMessage message = parser.parseMessage(form);

        assertThat(message.providerMessageId()).isEqualTo("SM0123456789abcdef0123456789abcdef");
        assertThat(message.senderIdentifier()).isEqualTo("+5511999998888");
        assertThat(message.senderPhone()).isEqualTo("+5511999998888");
        assertThat(message.senderName()).isEqualTo("Maria");
        assertThat(message.text()).isEqualTo("Olá, meu pedido chegou?");
        assertThat(message.contentType()).isEqualTo("text");
        assertThat(message.media()).isEmpty();
        assertThat(message.metadata()).containsEntry("to", "whatsapp:+14155238886").containsEntry("channel", "whatsapp");
        assertThat(message.sentAt()).isEqualTo(NOW);
    }

    @Test
    void an_image_without_caption_reads_as_image_and_keeps_its_url() {
        Map<String, String> form = whatsAppForm();
        form.put("NumMedia", "1");
        form.put("MessageType", "image");
        form.put("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC01/Messages/MM01/Media/ME0abc");
        form.put("MediaContentType0", "image/jpeg");

        InboundMessage message = parser.parseMessage(form);

        assertThat(message.contentType()).isEqualTo("image");
        assertThat(message.text()).isEqualTo("[image]");
        assertThat(message.media()).containsExactly(new MediaAttachment(
                "https://api.twilio.com/2010-04-01/Accounts/AC01/Messages/MM01/Media/ME0abc", "image/jpeg", "ME0abc"));
    }

    @Test
    void a_document_with_caption_reads_as_its_caption() {
        Map<String, String> form = whatsAppForm();
        form.put("NumMedia", "1");
        form.put("Body", "Segue o comprovante");
        form.put("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC01/Messages/MM01/Media/ME0def");
        form.put("MediaContentType0", "application/pdf");

        InboundMessage message = parser.parseMessage(form);

        assertThat(message.contentType()).isEqualTo("document");
        assertThat(message.text()).isEqualTo("Segue o comprovante");
    }

    @Test
    void a_shared_location_reads_as_coordinates_and_address() {
        Map<String, String> form = whatsAppForm();
        form.put("MessageType", "location");
        form.put("Latitude", "-23.55");
        form.put("Longitude", "-46.63");
        form.put("Address", "Av. Paulista, 1000");

        InboundMessage message = parser.parseMessage(form);

        assertThat(message.contentType()).isEqualTo("location");
        assertThat(message.text()).isEqualTo("📍 Location: -23.55, -46.63 — Av. Paulista, 1000");
        assertThat(message.metadata()).containsEntry("latitude", "-23.55").containsEntry("longitude", "-46.63");
    }

    @Test
    void an_sms_from_a_plain_number_is_understood() {
        Map<String, String> form = new HashMap<>();
        form.put("SmsSid", "SMaaaa");
        form.put("From", "+14155550100");
        form.put("Body", "STOP");

        InboundMessage message = parser.parseMessage(form);

        assertThat(message.providerMessageId()).isEqualTo("SMaaaa");
        assertThat(message.senderIdentifier()).isEqualTo("+14155550100");
        assertThat(message.senderName()).isNull();
        assertThat(message.metadata()).containsEntry("channel", "sms");
    }

    @Test
    void a_message_without_sid_or_sender_is_rejected_with_a_clear_reason() {
        Map<String, String> noSid = whatsAppForm();
        noSid.remove("MessageSid");
        noSid.remove("SmsMessageSid");
        assertThatThrownBy(() -> parser.parseMessage(noSid))
                .isInstanceOf(MalformedPayloadException.class).hasMessage("Twilio webhook lacks MessageSid");

        Map<String, String> noFrom = whatsAppForm();
        noFrom.remove("From");
        assertThatThrownBy(() -> parser.parseMessage(noFrom))
                .isInstanceOf(MalformedPayloadException.class).hasMessage("Twilio webhook lacks From");
    }

    @Test
    void a_failed_status_callback_explains_the_24_hour_window() {
        Map<String, String> form = Map.of("MessageSid", "SMbbbb", "MessageStatus", "failed",
                "ErrorCode", "63016", "ChannelPrefix", "whatsapp");

        StatusUpdate update = parser.parseStatus(form).orElseThrow();

        assertThat(update.providerMessageId()).isEqualTo("SMbbbb");
        assertThat(update.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(update.errorCode()).isEqualTo("63016");
        assertThat(update.errorReason()).isEqualTo("Outside the WhatsApp 24-hour window: only approved templates can be sent");
    }

    @Test
    void a_delivered_status_callback_has_no_error_and_a_received_one_is_ignored() {
        StatusUpdate delivered = parser.parseStatus(Map.of("MessageSid", "SMcccc", "MessageStatus", "delivered")).orElseThrow();
        assertThat(delivered.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(delivered.errorCode()).isNull();
        assertThat(delivered.errorReason()).isNull();

        assertThat(parser.parseStatus(Map.of("MessageSid", "SMcccc", "MessageStatus", "received"))).isEmpty();
    }

    @Test
    void a_status_callback_without_status_is_rejected() {
        assertThatThrownBy(() -> parser.parseStatus(Map.of("MessageSid", "SMcccc")))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("MessageStatus");
    }
}
