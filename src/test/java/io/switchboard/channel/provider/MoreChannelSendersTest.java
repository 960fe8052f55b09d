package io.switchboard.channel.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Graph Send API (Instagram, Messenger) and the Telegram Bot API: what is sent and each error's verdict. */
class MoreChannelSendersTest {

    private WireMockServer provider;

    @BeforeEach
    void start() {
        provider = new WireMockServer(options().dynamicPort());
        provider.start();
    }

    @AfterEach
    void stop() {
        provider.stop();
    }

    private SendResult messenger(String text) {
        return new MetaMessagingSender(provider.baseUrl(), "v21.0", "Messenger").send(new OutboundRequest("24681357924680", text,
                List.of(), Map.of("page_access_token", "EAAGpage"), Map.of("page_id", "106600000000001"), null));
    }

    private SendResult telegram(String text) {
        return new TelegramBotApi(provider.baseUrl()).send(new OutboundRequest("555000111", text, List.of(),
                Map.of("bot_token", "7000:AAsecret"), Map.of(), null));
    }

    @Test
    void messengerSendsTheTextToTheRecipientWithThePageTokenAndKeepsTheMessageId() {
        provider.stubFor(post(urlPathEqualTo("/v21.0/me/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"recipient_id\":\"24681357924680\",\"message_id\":\"m_AG5Hz2Uq7\"}")));
        assertThat(messenger("Abrimos às 9h.")).isEqualTo(new SendResult.Sent("m_AG5Hz2Uq7"));
        provider.verify(postRequestedFor(urlPathEqualTo("/v21.0/me/messages"))
                .withHeader("Authorization", equalTo("Bearer EAAGpage"))
                .withRequestBody(equalToJson("{\"recipient\":{\"id\":\"24681357924680\"},\"messaging_type\":\"RESPONSE\",\"message\":{\"text\":\"Abrimos às 9h.\"}}")));
    }

    @Test
    void aFileGoesAsAnAttachmentMetaFetchesFromItsSignedAddressAndTextWithAFileIsRefused() {
        provider.stubFor(post(urlPathEqualTo("/v21.0/me/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"recipient_id\":\"24681357924680\",\"message_id\":\"m_file1\"}")));
        String signed = "https://atendimento.example.com/webhooks/media/5f0c/boleto%20junho.pdf?expires=1733000000&signature=abc";
        SendResult sent = new MetaMessagingSender(provider.baseUrl(), "v21.0", "Instagram").send(new OutboundRequest(
                "24681357924680", "", List.of(signed), Map.of("page_access_token", "EAAGpage"), Map.of(), null));
        assertThat(sent).isEqualTo(new SendResult.Sent("m_file1"));
        provider.verify(postRequestedFor(urlPathEqualTo("/v21.0/me/messages")).withRequestBody(equalToJson("""
                {"recipient":{"id":"24681357924680"},"messaging_type":"RESPONSE",
                 "message":{"attachment":{"type":"file","payload":{"url":"%s","is_reusable":false}}}}""".formatted(signed))));
        assertThat(MetaMessagingSender.attachmentType("https://x/webhooks/media/1/foto.JPG?s=1")).isEqualTo("image");
        assertThat(MetaMessagingSender.attachmentType("https://x/webhooks/media/1/audio.ogg")).isEqualTo("audio");

        SendResult captioned = new MetaMessagingSender(provider.baseUrl(), "v21.0", "Messenger").send(new OutboundRequest(
                "24681357924680", "segue o boleto", List.of(signed), Map.of("page_access_token", "EAAGpage"), Map.of(), null));
        assertThat(captioned).isInstanceOf(SendResult.Permanent.class);
        assertThat(((SendResult.Permanent) captioned).reason()).contains("cannot send text with a file");
        provider.verify(1, postRequestedFor(urlPathEqualTo("/v21.0/me/messages")));
    }

    @Test
    void outsideTheMessagingWindowIsPermanentWithAReadableReasonAndARateLimitIsRetried() {
        provider.stubFor(post(urlPathEqualTo("/v21.0/me/messages")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"error":{"message":"(#10) This message is sent outside of allowed window.","type":"OAuthException",
                         "code":10,"error_subcode":2018278,"fbtrace_id":"AbCdEf"}}""")));
        SendResult closed = messenger("oi");
        assertThat(closed).isInstanceOf(SendResult.Permanent.class);
        assertThat(((SendResult.Permanent) closed).code()).isEqualTo("2018278");
        assertThat(((SendResult.Permanent) closed).reason()).contains("24-hour messaging window");

        provider.stubFor(post(urlPathEqualTo("/v21.0/me/messages")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4}}""")));
        assertThat(messenger("oi")).isInstanceOf(SendResult.Retryable.class);
    }

    @Test
    void telegramSendsToTheChatAndABlockedBotIsPermanentWhileFloodWaitIsRetriedAfterItsDelay() {
        provider.stubFor(post(urlPathEqualTo("/bot7000:AAsecret/sendMessage")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":true,\"result\":{\"message_id\":91,\"chat\":{\"id\":555000111,\"type\":\"private\"},\"date\":1733140000,\"text\":\"Oi\"}}")));
        assertThat(telegram("Oi")).isEqualTo(new SendResult.Sent("555000111:91"));
        provider.verify(postRequestedFor(urlPathEqualTo("/bot7000:AAsecret/sendMessage"))
                .withRequestBody(equalToJson("{\"chat_id\":\"555000111\",\"text\":\"Oi\"}")));

        provider.stubFor(post(urlPathEqualTo("/bot7000:AAsecret/sendMessage")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}")));
        SendResult blocked = telegram("Oi");
        assertThat(blocked).isInstanceOf(SendResult.Permanent.class);
        assertThat(((SendResult.Permanent) blocked).reason()).contains("blocked the bot");

        provider.stubFor(post(urlPathEqualTo("/bot7000:AAsecret/sendMessage")).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 17\",\"parameters\":{\"retry_after\":17}}")));
        SendResult flood = telegram("Oi");
        assertThat(flood).isInstanceOf(SendResult.Retryable.class);
        assertThat(((SendResult.Retryable) flood).retryAfter()).isEqualTo(Duration.ofSeconds(17));
    }

    @Test
    void aMetaTemplateGoesAsTypeTemplateWithBodyParametersAndTwilioAsContentSid() {
        provider.stubFor(post(urlPathEqualTo("/v21.0/1066/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"messages\":[{\"id\":\"wamid.T1\"}]}")));
        SendResult sent = new MetaCloudSender(provider.baseUrl(), "v21.0").send(new OutboundRequest("+5511987650001", "Olá Maria",
                List.of(), Map.of("access_token", "t"), Map.of("phone_number_id", "1066"), null,
                new TemplateMessage("pedido_enviado", "pt_BR", null, List.of("Maria", "4521"))));
        assertThat(sent).isEqualTo(new SendResult.Sent("wamid.T1"));
        provider.verify(postRequestedFor(urlPathEqualTo("/v21.0/1066/messages")).withRequestBody(equalToJson("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"5511987650001","type":"template",
                 "template":{"name":"pedido_enviado","language":{"code":"pt_BR"},
                             "components":[{"type":"body","parameters":[{"type":"text","text":"Maria"},{"type":"text","text":"4521"}]}]}}""")));
    }
}
