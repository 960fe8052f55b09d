package io.switchboard.channel.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class MetaWebhookParserTest {

    private final MetaWebhookParser parser = new MetaWebhookParser(JsonMapper.builder().build());

    /** The envelope from PROTOCOLS.md around the given value members. */
    private static byte[] webhook(String valueMembers) {
        return ("""
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":
                {"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
                %s},"field":"messages"}]}]}""".formatted(valueMembers)).getBytes(StandardCharsets.UTF_8);
    }

    private static String contactsAndMessage(String message) {
        return """
                "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],
                "messages":[%s]""".formatted(message);
    }

    @Test
    void a_text_message_gives_sender_wa_id_name_text_and_time() {
        ParsedWebhook parsed = parser.parse(webhook(contactsAndMessage("""
                {"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                 "timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}""")));

        assertThat(parsed.statuses()).isEmpty();
        assertThat(parsed.messages()).singleElement().satisfies(message -> {
            assertThat(message.providerMessageId()).startsWith("wamid.");
            assertThat(message.senderIdentifier()).isEqualTo("16505551234");
            assertThat(message.senderPhone()).isEqualTo("+16505551234");
            assertThat(message.senderName()).isEqualTo("Sheena Nelson");
            assertThat(message.text()).isEqualTo("Does it come in another color?");
            assertThat(message.contentType()).isEqualTo("text");
            assertThat(message.sentAt()).isEqualTo(Instant.ofEpochSecond(1749416383));
            assertThat(message.metadata()).containsEntry("phoneNumberId", "106540352242922");
        });
    }

    @Test
    void changes_for_a_number_the_predicate_refuses_are_left_out_messages_and_statuses_alike() {
        byte[] body = """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[
                 {"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000001","phone_number_id":"111"},
                  "messages":[{"from":"16505550001","id":"wamid.OTHER","timestamp":"1749416383","type":"text","text":{"body":"not ours"}}],
                  "statuses":[{"id":"wamid.OTHER-OUT","status":"read","timestamp":"1749416384","recipient_id":"16505550001"}]},
                  "field":"messages"},
                 {"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000002","phone_number_id":"222"},
                  "messages":[{"from":"16505550002","id":"wamid.OURS","timestamp":"1749416385","type":"text","text":{"body":"ours"}}],
                  "statuses":[{"id":"wamid.OURS-OUT","status":"delivered","timestamp":"1749416386","recipient_id":"16505550002"}]},
                  "field":"messages"}]}]}""".getBytes(StandardCharsets.UTF_8);
        java.util.List<String> refused = new java.util.ArrayList<>();

        ParsedWebhook parsed = parser.parse(body, phoneNumberId -> {
            boolean ours = "222".equals(phoneNumberId);
            if (!ours) {
                refused.add(phoneNumberId);
            }
            return ours;
        });

        assertThat(parsed.messages()).extracting(InboundMessage::providerMessageId).containsExactly("wamid.OURS");
        assertThat(parsed.statuses()).extracting(StatusUpdate::providerMessageId).containsExactly("wamid.OURS-OUT");
        assertThat(refused).containsExactly("111");
        assertThat(parser.parse(body).messages()).as("without a number to keep, everything is read").hasSize(2);
    }

    @Test
    void an_image_with_caption_keeps_the_caption_and_the_media_id() {
        ParsedWebhook parsed = parser.parse(webhook(contactsAndMessage("""
                {"from":"16505551234","id":"wamid.IMG","timestamp":"1749416383","type":"image",
                 "image":{"caption":"Is this the right one?","mime_type":"image/jpeg","sha256":"abc","id":"1003383421387256"}}""")));

        InboundMessage message = parsed.messages().get(0);
        assertThat(message.contentType()).isEqualTo("image");
        assertThat(message.text()).isEqualTo("Is this the right one?");
        assertThat(message.media()).containsExactly(new MediaAttachment(null, "image/jpeg", "1003383421387256"));
    }

    @Test
    void a_voice_note_without_caption_reads_as_audio() {
        ParsedWebhook parsed = parser.parse(webhook(contactsAndMessage("""
                {"from":"16505551234","id":"wamid.AUD","timestamp":"1749416383","type":"audio",
                 "audio":{"mime_type":"audio/ogg; codecs=opus","sha256":"abc","id":"9991","voice":true}}""")));

        InboundMessage message = parsed.messages().get(0);
        assertThat(message.contentType()).isEqualTo("audio");
        assertThat(message.text()).isEqualTo("[audio]");
        assertThat(message.media()).singleElement().extracting(MediaAttachment::providerMediaId).isEqualTo("9991");
    }

    @Test
    void a_location_reads_as_coordinates_name_and_address() {
        ParsedWebhook parsed = parser.parse(webhook(contactsAndMessage("""
                {"from":"16505551234","id":"wamid.LOC","timestamp":"1749416383","type":"location",
                 "location":{"latitude":-23.55,"longitude":-46.63,"name":"MASP","address":"Av. Paulista, 1578"}}""")));

        InboundMessage message = parsed.messages().get(0);
        assertThat(message.contentType()).isEqualTo("location");
        assertThat(message.text()).isEqualTo("📍 Location: -23.55, -46.63 — MASP, Av. Paulista, 1578");
    }

    @Test
    void a_button_reply_reads_as_the_button_title() {
        ParsedWebhook parsed = parser.parse(webhook(contactsAndMessage("""
                {"from":"16505551234","id":"wamid.BTN","timestamp":"1749416383","type":"interactive",
                 "context":{"from":"15550783881","id":"wamid.ORIGINAL"},
                 "interactive":{"type":"button_reply","button_reply":{"id":"track-order","title":"Track my order"}}}""")));

        InboundMessage message = parsed.messages().get(0);
        assertThat(message.contentType()).isEqualTo("text");
        assertThat(message.text()).isEqualTo("Track my order");
        assertThat(message.metadata()).containsEntry("replyId", "track-order")
                .containsEntry("replyToProviderMessageId", "wamid.ORIGINAL");
    }

    @Test
    void an_unsupported_message_is_kept_with_a_summary() {
        ParsedWebhook parsed = parser.parse(webhook(contactsAndMessage("""
                {"from":"16505551234","id":"wamid.UNS","timestamp":"1749416383","type":"unsupported",
                 "errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown",
                 "error_data":{"details":"Message type is currently not supported."}}]}""")));

        InboundMessage message = parsed.messages().get(0);
        assertThat(message.contentType()).isEqualTo("other");
        assertThat(message.text()).isEqualTo("[unsupported message: Message type is currently not supported.]");
    }

    @Test
    void a_failed_status_outside_the_24_hour_window_is_explained() {
        ParsedWebhook parsed = parser.parse(webhook("""
                "statuses":[{"id":"wamid.OUT","status":"failed","timestamp":"1749416400","recipient_id":"16505551234",
                 "errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message",
                 "error_data":{"details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."}}]},
                 {"id":"wamid.OK","status":"read","timestamp":"1749416401","recipient_id":"16505551234"}]"""));

        assertThat(parsed.messages()).isEmpty();
        assertThat(parsed.statuses()).hasSize(2);
        StatusUpdate failed = parsed.statuses().get(0);
        assertThat(failed.providerMessageId()).isEqualTo("wamid.OUT");
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.errorCode()).isEqualTo("131047");
        assertThat(failed.errorReason()).contains("more than 24 hours since the customer last replied");
        assertThat(failed.at()).isEqualTo(Instant.ofEpochSecond(1749416400));
        StatusUpdate read = parsed.statuses().get(1);
        assertThat(read.status()).isEqualTo(DeliveryStatus.READ);
        assertThat(read.errorCode()).isNull();
    }

    @Test
    void a_body_that_is_not_json_is_rejected_with_a_clear_reason() {
        assertThatThrownBy(() -> parser.parse("{\"object\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessageStartingWith("Meta webhook body is not valid JSON: ");
    }

    @Test
    void a_webhook_for_another_object_or_without_entries_is_rejected() {
        assertThatThrownBy(() -> parser.parse("{\"object\":\"page\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Meta webhook object is 'page', expected 'whatsapp_business_account'");
        assertThatThrownBy(() -> parser.parse("{\"object\":\"whatsapp_business_account\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Meta webhook lacks the entry array");
    }

    @Test
    void a_message_without_id_is_rejected() {
        assertThatThrownBy(() -> parser.parse(webhook(contactsAndMessage("""
                {"from":"16505551234","timestamp":"1749416383","type":"text","text":{"body":"hi"}}"""))))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Meta webhook message lacks id");
    }
}
