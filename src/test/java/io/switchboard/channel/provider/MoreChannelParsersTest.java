package io.switchboard.channel.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Instagram/Messenger and Telegram payloads and Evolution's connection events, as the providers send them. */
class MoreChannelParsersTest {

    final JsonMapper json = JsonMapper.builder().build();
    final MetaMessagingWebhookParser meta = new MetaMessagingWebhookParser(json);
    final TelegramWebhookParser telegram = new TelegramWebhookParser(json);
    final EvolutionInstanceApi evolution = new EvolutionInstanceApi(url -> Optional.empty());

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anInstagramImageWithoutTextIsKeptWithItsUrlAndEchoesAndOtherAccountsAreSkipped() {
        ParsedWebhook parsed = meta.parse(bytes("""
                {"object":"instagram","entry":[
                 {"id":"17841400000000001","time":1733140000000,"messaging":[
                  {"sender":{"id":"5550001"},"recipient":{"id":"17841400000000001"},"timestamp":1733140000000,
                   "message":{"mid":"aWdfZAG1","attachments":[{"type":"image","payload":{"url":"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1"}}]}},
                  {"sender":{"id":"17841400000000001"},"recipient":{"id":"5550001"},"timestamp":1733140001000,
                   "message":{"mid":"aWdfZAG2","text":"eco","is_echo":true}},
                  {"sender":{"id":"5550001"},"recipient":{"id":"17841400000000001"},"timestamp":1733140002000,
                   "read":{"mid":"aWdfZAG0"}}]},
                 {"id":"999","time":1733140000000,"messaging":[{"sender":{"id":"1"},"recipient":{"id":"999"},
                   "timestamp":1733140000000,"message":{"mid":"x","text":"outra conta"}}]}]}"""), "instagram", "17841400000000001"::equals);
        assertThat(parsed.messages()).hasSize(1);
        InboundMessage image = parsed.messages().get(0);
        assertThat(image.senderIdentifier()).isEqualTo("5550001");
        assertThat(image.contentType()).isEqualTo("image");
        assertThat(image.text()).isEqualTo("[image]");
        assertThat(image.media().get(0).url()).contains("asset_id=1");
        assertThat(image.sentAt()).isEqualTo(Instant.ofEpochMilli(1733140000000L));
        assertThat(parsed.statuses()).extracting(StatusUpdate::status).containsExactly(DeliveryStatus.READ);
    }

    @Test
    void aWebhookOfTheOtherObjectOrWithoutMidIsMalformed() {
        assertThatThrownBy(() -> meta.parse(bytes("{\"object\":\"page\",\"entry\":[]}"), "instagram", id -> true))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("expected 'instagram'");
        assertThatThrownBy(() -> meta.parse(bytes("""
                {"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"message":{"text":"oi"}}]}]}"""), "page", id -> true))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("mid");
    }

    @Test
    void aTelegramPrivateTextIsOneMessageKeyedByChatAndMessageIdAndGroupsAndBotsAreSkipped() {
        ParsedWebhook parsed = telegram.parse(bytes("""
                {"update_id":815,"message":{"message_id":42,"from":{"id":555,"is_bot":false,"first_name":"João","language_code":"pt-br"},
                 "chat":{"id":555,"first_name":"João","type":"private"},"date":1733140000,"text":"Olá"}}"""));
        InboundMessage message = parsed.messages().get(0);
        assertThat(message.providerMessageId()).isEqualTo("555:42");
        assertThat(message.senderIdentifier()).isEqualTo("555");
        assertThat(message.senderName()).isEqualTo("João");
        assertThat(message.text()).isEqualTo("Olá");
        assertThat(message.sentAt()).isEqualTo(Instant.ofEpochSecond(1733140000));

        assertThat(telegram.parse(bytes("""
                {"update_id":816,"message":{"message_id":7,"from":{"id":555,"is_bot":false,"first_name":"João"},
                 "chat":{"id":-100123,"title":"Grupo","type":"supergroup"},"date":1733140000,"text":"oi grupo"}}""")).isEmpty()).isTrue();
        assertThat(telegram.parse(bytes("{\"update_id\":817,\"edited_message\":{\"message_id\":1}}")).isEmpty()).isTrue();
        assertThatThrownBy(() -> telegram.parse(bytes("{\"message\":{}}"))).isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void aTelegramVoiceNoteAndOwnSharedContactAreSummarizedWithThePhone() {
        InboundMessage voice = telegram.parse(bytes("""
                {"update_id":818,"message":{"message_id":43,"from":{"id":555,"is_bot":false,"first_name":"João"},
                 "chat":{"id":555,"type":"private"},"date":1733140000,
                 "voice":{"duration":3,"mime_type":"audio/ogg","file_id":"AwACAgEAAxkBAAIB","file_unique_id":"AgADx","file_size":7210}}}""")).messages().get(0);
        assertThat(voice.contentType()).isEqualTo("audio");
        assertThat(voice.text()).isEqualTo("[audio]");
        assertThat(voice.media().get(0).providerMediaId()).isEqualTo("AwACAgEAAxkBAAIB");

        InboundMessage contact = telegram.parse(bytes("""
                {"update_id":819,"message":{"message_id":44,"from":{"id":555,"is_bot":false,"first_name":"João"},
                 "chat":{"id":555,"type":"private"},"date":1733140000,
                 "contact":{"phone_number":"5511988887777","first_name":"João","user_id":555}}}""")).messages().get(0);
        assertThat(contact.senderPhone()).isEqualTo("+5511988887777");
        assertThat(contact.contentType()).isEqualTo("contact");
    }

    @Test
    void evolutionConnectionEventsBecomeStatesAndOtherEventsNothing() {
        assertThat(evolution.fromWebhook(bytes("""
                {"event":"qrcode.updated","instance":"loja","data":{"qrcode":{"instance":"loja","pairingCode":"WZYEH1YY",
                 "code":"2@abc","base64":"data:image/png;base64,iVBORw0KGgo="}}}""")))
                .hasValueSatisfying(s -> {
                    assertThat(s.state()).isEqualTo(EvolutionInstanceApi.State.NEEDS_QR);
                    assertThat(s.qrCode()).startsWith("data:image/png;base64,");
                    assertThat(s.pairingCode()).isEqualTo("WZYEH1YY");
                });
        assertThat(evolution.fromWebhook(bytes("""
                {"event":"CONNECTION_UPDATE","instance":"loja","data":{"instance":"loja","state":"open","statusReason":200}}""")))
                .hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(EvolutionInstanceApi.State.CONNECTED));
        assertThat(evolution.fromWebhook(bytes("""
                {"event":"connection.update","instance":"loja","data":{"instance":"loja","state":"close","statusReason":401}}""")))
                .hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(EvolutionInstanceApi.State.DISCONNECTED));
        assertThat(evolution.fromWebhook(bytes("""
                {"event":"qrcode.updated","instance":"loja","data":{"message":"QR code limit reached, please login again","statusCode":500}}""")))
                .hasValueSatisfying(s -> assertThat(s.detail()).contains("limit reached"));
        assertThat(evolution.fromWebhook(bytes("{\"event\":\"messages.upsert\",\"data\":{}}"))).isEmpty();
    }
}
