package io.switchboard.channel.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class EvolutionWebhookParserTest {

    private final EvolutionWebhookParser parser = new EvolutionWebhookParser(JsonMapper.builder().build());

    private static byte[] upsert(String remoteJid, boolean fromMe, String message) {
        return ("""
                {"event":"messages.upsert","instance":"inst1","data":{"key":{"remoteJid":"%s","fromMe":%s,"id":"3EB0A1B2C3"},
                 "pushName":"Maria","message":%s,"messageTimestamp":1717000000},
                 "destination":"https://example.test/hook","sender":"5511888887777@s.whatsapp.net","apikey":"secret"}"""
                .formatted(remoteJid, fromMe, message)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_conversation_message_gives_number_name_and_text() {
        ParsedWebhook parsed = parser.parse(upsert("5511999998888@s.whatsapp.net", false, "{\"conversation\":\"Olá\"}"));

        assertThat(parsed.messages()).singleElement().satisfies(message -> {
            assertThat(message.providerMessageId()).isEqualTo("3EB0A1B2C3");
            assertThat(message.senderIdentifier()).isEqualTo("5511999998888");
            assertThat(message.senderPhone()).isEqualTo("+5511999998888");
            assertThat(message.senderName()).isEqualTo("Maria");
            assertThat(message.text()).isEqualTo("Olá");
            assertThat(message.contentType()).isEqualTo("text");
            assertThat(message.sentAt()).isEqualTo(Instant.ofEpochSecond(1717000000));
            assertThat(message.metadata()).containsEntry("instance", "inst1");
        });
    }

    @Test
    void an_extended_text_message_reads_as_its_text() {
        ParsedWebhook parsed = parser.parse(upsert("5511999998888@s.whatsapp.net", false,
                "{\"extendedTextMessage\":{\"text\":\"Veja https://loja.test/p/1\"},\"messageContextInfo\":{}}"));

        assertThat(parsed.messages().get(0).text()).isEqualTo("Veja https://loja.test/p/1");
    }

    @Test
    void our_own_messages_groups_status_broadcasts_and_newsletters_are_skipped() {
        String text = "{\"conversation\":\"x\"}";
        assertThat(parser.parse(upsert("5511999998888@s.whatsapp.net", true, text)).isEmpty()).isTrue();
        assertThat(parser.parse(upsert("120363025246125888@g.us", false, text)).isEmpty()).isTrue();
        assertThat(parser.parse(upsert("status@broadcast", false, text)).isEmpty()).isTrue();
        assertThat(parser.parse(upsert("1234567890@broadcast", false, text)).isEmpty()).isTrue();
        assertThat(parser.parse(upsert("120363170000000000@newsletter", false, text)).isEmpty()).isTrue();
    }

    @Test
    void an_image_with_caption_keeps_caption_mime_type_and_url() {
        ParsedWebhook parsed = parser.parse(upsert("5511999998888@s.whatsapp.net", false, """
                {"imageMessage":{"url":"https://mmg.whatsapp.net/o1/v/t62/abc.enc","mimetype":"image/jpeg","caption":"Chegou assim"}}"""));

        InboundMessage message = parsed.messages().get(0);
        assertThat(message.contentType()).isEqualTo("image");
        assertThat(message.text()).isEqualTo("Chegou assim");
        assertThat(message.media()).containsExactly(
                new MediaAttachment("https://mmg.whatsapp.net/o1/v/t62/abc.enc", "image/jpeg", "3EB0A1B2C3"));
    }

    @Test
    void a_voice_note_without_caption_reads_as_audio() {
        ParsedWebhook parsed = parser.parse(upsert("5511999998888@s.whatsapp.net", false, """
                {"audioMessage":{"mimetype":"audio/ogg; codecs=opus","ptt":true,"seconds":7}}"""));

        InboundMessage message = parsed.messages().get(0);
        assertThat(message.contentType()).isEqualTo("audio");
        assertThat(message.text()).isEqualTo("[audio]");
    }

    @Test
    void a_location_reads_as_coordinates_and_address() {
        ParsedWebhook parsed = parser.parse(upsert("5511999998888@s.whatsapp.net", false, """
                {"locationMessage":{"degreesLatitude":-23.55,"degreesLongitude":-46.63,"address":"Av. Paulista, 1000"}}"""));

        InboundMessage message = parsed.messages().get(0);
        assertThat(message.contentType()).isEqualTo("location");
        assertThat(message.text()).isEqualTo("📍 Location: -23.55, -46.63 — Av. Paulista, 1000");
    }

    @Test
    void a_batch_in_a_data_array_is_read_message_by_message() {
        byte[] body = """
                {"event":"messages.upsert","instance":"inst1","data":[
                 {"key":{"remoteJid":"5511999998888@s.whatsapp.net","fromMe":false,"id":"A1"},"message":{"conversation":"um"}},
                 {"key":{"remoteJid":"5511999998888@s.whatsapp.net","fromMe":true,"id":"A2"},"message":{"conversation":"eco"}},
                 {"key":{"remoteJid":"5511999998888@s.whatsapp.net","fromMe":false,"id":"A3"},"message":{"conversation":"dois"}}]}"""
                .getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse(body).messages()).extracting(InboundMessage::text).containsExactly("um", "dois");
    }

    @Test
    void message_updates_move_our_messages_status() {
        byte[] body = """
                {"event":"messages.update","instance":"inst1","data":{"messageId":"cm0","keyId":"3EB0OUT",
                 "remoteJid":"5511999998888@s.whatsapp.net","fromMe":true,"status":"DELIVERY_ACK"}}"""
                .getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse(body).statuses()).singleElement().satisfies(update -> {
            assertThat(update.providerMessageId()).isEqualTo("3EB0OUT");
            assertThat(update.status()).isEqualTo(DeliveryStatus.DELIVERED);
        });
    }

    @Test
    void a_played_voice_note_counts_as_read_and_an_error_as_failed() {
        byte[] played = """
                {"event":"messages.update","data":{"key":{"id":"3EB0P"},"status":"PLAYED"}}""".getBytes(StandardCharsets.UTF_8);
        byte[] error = """
                {"event":"messages.update","data":{"keyId":"3EB0E","status":"ERROR"}}""".getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse(played).statuses().get(0).status()).isEqualTo(DeliveryStatus.READ);
        assertThat(parser.parse(error).statuses().get(0).status()).isEqualTo(DeliveryStatus.FAILED);
    }

    @Test
    void other_events_give_nothing() {
        byte[] body = "{\"event\":\"connection.update\",\"data\":{\"state\":\"open\"}}".getBytes(StandardCharsets.UTF_8);
        assertThat(parser.parse(body).isEmpty()).isTrue();
    }

    @Test
    void malformed_bodies_are_rejected_with_a_clear_reason() {
        assertThatThrownBy(() -> parser.parse("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessageStartingWith("Evolution webhook body is not valid JSON: ");
        assertThatThrownBy(() -> parser.parse("{\"data\":{}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Evolution webhook lacks event");
        assertThatThrownBy(() -> parser.parse("""
                {"event":"messages.upsert","data":{"key":{"remoteJid":"5511999998888@s.whatsapp.net"},"message":{"conversation":"x"}}}"""
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Evolution message lacks key.id");
    }
}
