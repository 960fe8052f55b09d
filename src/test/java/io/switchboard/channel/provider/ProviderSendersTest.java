package io.switchboard.channel.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.havingExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.BasicCredentials;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ProviderSendersTest {

    private WireMockServer provider;

    @BeforeEach
    void startFakeProvider() {
        provider = new WireMockServer(options().dynamicPort());
        provider.start();
    }

    @AfterEach
    void stopFakeProvider() {
        provider.stop();
    }

    /** A port nothing listens on: bound once to get a free number, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Nested
    class Twilio {

        private static final String MESSAGES_PATH = "/2010-04-01/Accounts/AC123/Messages.json";

        private SendResult send(String baseUrl, String text, List<String> media) {
            return new TwilioSender(baseUrl).send(new OutboundRequest("+5511999998888", text, media,
                    Map.of("account_sid", "AC123", "auth_token", "secret-token"),
                    Map.of("from", "+14155238886", "whatsapp", true),
                    "https://switchboard.test/webhooks/twilio/status"));
        }

        @Test
        void a_whatsapp_message_is_posted_with_basic_auth_and_the_form_fields_and_201_gives_the_sid() {
            provider.stubFor(post(MESSAGES_PATH).willReturn(aResponse().withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"sid\":\"SM0123456789abcdef0123456789abcdef\",\"status\":\"queued\"}")));

            SendResult result = send(provider.baseUrl(), "Seu pedido saiu para entrega & chega hoje",
                    List.of("https://cdn.test/a.jpg", "https://cdn.test/b.pdf"));

            assertThat(result).isEqualTo(new SendResult.Sent("SM0123456789abcdef0123456789abcdef"));
            provider.verify(postRequestedFor(urlEqualTo(MESSAGES_PATH))
                    .withBasicAuth(new BasicCredentials("AC123", "secret-token"))
                    .withFormParam("To", equalTo("whatsapp:+5511999998888"))
                    .withFormParam("From", equalTo("whatsapp:+14155238886"))
                    .withFormParam("Body", equalTo("Seu pedido saiu para entrega & chega hoje"))
                    .withFormParam("MediaUrl", havingExactly("https://cdn.test/a.jpg", "https://cdn.test/b.pdf"))
                    .withFormParam("StatusCallback", equalTo("https://switchboard.test/webhooks/twilio/status")));
        }

        @Test
        void an_sms_channel_sends_plain_numbers() {
            provider.stubFor(post(MESSAGES_PATH).willReturn(aResponse().withStatus(201).withBody("{\"sid\":\"SM1\"}")));

            SendResult result = new TwilioSender(provider.baseUrl()).send(new OutboundRequest("+5511999998888", "Oi",
                    List.of(), Map.of("account_sid", "AC123", "auth_token", "t"), Map.of("from", "+14155550100"), null));

            assertThat(result).isEqualTo(new SendResult.Sent("SM1"));
            provider.verify(postRequestedFor(urlEqualTo(MESSAGES_PATH))
                    .withFormParam("To", equalTo("+5511999998888"))
                    .withFormParam("From", equalTo("+14155550100")));
        }

        @Test
        void a_twilio_outage_is_retryable() {
            provider.stubFor(post(MESSAGES_PATH).willReturn(aResponse().withStatus(503).withBody("Service Unavailable")));

            assertThat(send(provider.baseUrl(), "Oi", List.of())).isInstanceOfSatisfying(SendResult.Retryable.class,
                    retry -> assertThat(retry.code()).isEqualTo("http_503"));
        }

        @Test
        void a_rate_limit_is_retried_after_the_delay_twilio_asks_for() {
            provider.stubFor(post(MESSAGES_PATH).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")
                    .withBody("{\"code\":20429,\"message\":\"Too Many Requests\",\"status\":429}")));

            assertThat(send(provider.baseUrl(), "Oi", List.of())).isInstanceOfSatisfying(SendResult.Retryable.class, retry -> {
                assertThat(retry.code()).isEqualTo("20429");
                assertThat(retry.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            });
        }

        @Test
        void an_invalid_number_is_a_permanent_failure_with_a_readable_reason() {
            provider.stubFor(post(MESSAGES_PATH).willReturn(aResponse().withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"code\":21211,\"message\":\"The 'To' number +551 is not a valid phone number.\","
                            + "\"more_info\":\"https://www.twilio.com/docs/errors/21211\",\"status\":400}")));

            assertThat(send(provider.baseUrl(), "Oi", List.of()))
                    .isEqualTo(new SendResult.Permanent("21211", "Invalid 'To' phone number"));
        }

        @Test
        void an_unknown_twilio_error_keeps_twilios_message() {
            provider.stubFor(post(MESSAGES_PATH).willReturn(aResponse().withStatus(400)
                    .withBody("{\"code\":21999,\"message\":\"Something specific went wrong\",\"status\":400}")));

            assertThat(send(provider.baseUrl(), "Oi", List.of()))
                    .isEqualTo(new SendResult.Permanent("21999", "Something specific went wrong"));
        }

        @Test
        void a_connection_dropped_after_the_request_left_is_in_doubt_not_a_plain_network_error() {
            provider.stubFor(post(MESSAGES_PATH).willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.EMPTY_RESPONSE)));

            assertThat(send(provider.baseUrl(), "Oi", List.of())).isInstanceOfSatisfying(SendResult.Retryable.class,
                    retry -> assertThat(retry.mayHaveArrived()).as("Twilio may have the message: ask before resending").isTrue());
        }

        @Test
        void an_unreachable_twilio_is_retryable_as_a_network_error() throws IOException {
            assertThat(send("http://127.0.0.1:" + closedPort(), "Oi", List.of()))
                    .isInstanceOfSatisfying(SendResult.Retryable.class, retry -> {
                        assertThat(retry.code()).isEqualTo("network");
                        assertThat(retry.mayHaveArrived()).as("nothing left: safe to send again").isFalse();
                    });
        }

        @Test
        void missing_credentials_fail_permanently_without_calling_twilio() {
            SendResult result = new TwilioSender(provider.baseUrl()).send(new OutboundRequest("+5511999998888", "Oi",
                    List.of(), Map.of(), Map.of("from", "+14155550100"), null));

            assertThat(result).isInstanceOfSatisfying(SendResult.Permanent.class,
                    failure -> assertThat(failure.code()).isEqualTo("configuration"));
            assertThat(provider.getAllServeEvents()).isEmpty();
        }

        @Test
        void after_an_interrupted_send_twilios_message_list_tells_which_message_left_matching_recipient_body_and_time() {
            java.time.Instant attemptStarted = java.time.Instant.parse("2026-12-02T08:20:00Z");
            provider.stubFor(get(urlPathEqualTo(MESSAGES_PATH)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody("""
                            {"messages":[
                             {"sid":"SMnew","body":"Seu pedido saiu","direction":"outbound-api","date_created":"Wed, 02 Dec 2026 08:20:01 +0000"},
                             {"sid":"SMother","body":"Outra coisa","direction":"outbound-api","date_created":"Wed, 02 Dec 2026 08:20:00 +0000"},
                             {"sid":"SMinbound","body":"Seu pedido saiu","direction":"inbound","date_created":"Wed, 02 Dec 2026 08:19:59 +0000"},
                             {"sid":"SMyesterday","body":"Seu pedido saiu","direction":"outbound-api","date_created":"Tue, 01 Dec 2026 09:00:00 +0000"}],
                             "next_page_uri":null,"page":0,"page_size":100}""")));

            SentLookup found = new TwilioSender(provider.baseUrl()).findSent(new OutboundRequest("+5511999998888", "Seu pedido saiu",
                    List.of(), Map.of("account_sid", "AC123", "auth_token", "secret-token"),
                    Map.of("from", "+14155238886", "whatsapp", true), null), attemptStarted);

            assertThat(found).isEqualTo(new SentLookup.Found(List.of("SMnew")));
            provider.verify(getRequestedFor(urlPathEqualTo(MESSAGES_PATH))
                    .withBasicAuth(new BasicCredentials("AC123", "secret-token"))
                    .withQueryParam("To", equalTo("whatsapp:+5511999998888"))
                    .withQueryParam("From", equalTo("whatsapp:+14155238886"))
                    .withQueryParam("DateSent>", equalTo("2026-12-02")));
        }

        @Test
        void a_message_list_twilio_cannot_give_now_is_asked_again_later_not_taken_as_not_found() throws IOException {
            provider.stubFor(get(urlPathEqualTo(MESSAGES_PATH)).willReturn(aResponse().withStatus(503)
                    .withBody("{\"code\":20500,\"message\":\"Service unavailable\",\"status\":503}")));
            OutboundRequest request = new OutboundRequest("+5511999998888", "Oi", List.of(),
                    Map.of("account_sid", "AC123", "auth_token", "secret-token"), Map.of("from", "+14155238886"), null);
            java.time.Instant since = java.time.Instant.now();

            assertThat(new TwilioSender(provider.baseUrl()).findSent(request, since)).isInstanceOf(SentLookup.Unavailable.class);
            assertThat(new TwilioSender("http://localhost:" + closedPort()).findSent(request, since)).isInstanceOf(SentLookup.Unavailable.class);
            assertThat(new MetaCloudSender(provider.baseUrl(), "v21.0").findSent(request, since))
                    .as("Meta has no message list: the caller must not send blind").isInstanceOf(SentLookup.Unsupported.class);
        }
    }

    @Nested
    class Meta {

        private static final String MESSAGES_PATH = "/v21.0/106540352242922/messages";

        private SendResult send(String text, List<String> media) {
            return new MetaCloudSender(provider.baseUrl(), "v21.0").send(new OutboundRequest("+16505551234", text, media,
                    Map.of("access_token", "EAAG-token"), Map.of("phone_number_id", "106540352242922"), null));
        }

        @Test
        void a_text_is_posted_with_the_bearer_token_and_the_cloud_api_body_and_gives_the_wamid() {
            provider.stubFor(post(MESSAGES_PATH).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"16505551234\",\"wa_id\":\"16505551234\"}],"
                            + "\"messages\":[{\"id\":\"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3\"}]}")));

            assertThat(send("Your order has shipped", List.of()))
                    .isEqualTo(new SendResult.Sent("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3"));
            provider.verify(postRequestedFor(urlEqualTo(MESSAGES_PATH))
                    .withHeader("Authorization", equalTo("Bearer EAAG-token"))
                    .withRequestBody(equalToJson("""
                            {"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234",
                             "type":"text","text":{"preview_url":false,"body":"Your order has shipped"}}""")));
        }

        @Test
        void an_image_is_sent_by_link_with_the_text_as_caption() {
            provider.stubFor(post(MESSAGES_PATH).willReturn(aResponse().withStatus(200)
                    .withBody("{\"messages\":[{\"id\":\"wamid.IMG\"}]}")));

            assertThat(send("Here it is", List.of("https://cdn.test/catalog.jpg"))).isEqualTo(new SendResult.Sent("wamid.IMG"));
            provider.verify(postRequestedFor(urlEqualTo(MESSAGES_PATH)).withRequestBody(equalToJson("""
                    {"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234",
                     "type":"image","image":{"link":"https://cdn.test/catalog.jpg","caption":"Here it is"}}""")));
        }

        @Test
        void outside_the_24_hour_window_the_failure_is_permanent_and_explained() {
            provider.stubFor(post(MESSAGES_PATH).willReturn(aResponse().withStatus(400).withBody("""
                    {"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,
                     "error_data":{"messaging_product":"whatsapp","details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."},
                     "fbtrace_id":"AbC"}}""")));

            assertThat(send("Still there?", List.of())).isInstanceOfSatisfying(SendResult.Permanent.class, failure -> {
                assertThat(failure.code()).isEqualTo("131047");
                assertThat(failure.reason()).contains("more than 24 hours since the customer last replied");
            });
        }

        @Test
        void a_meta_rate_limit_reported_as_400_is_still_retryable() {
            provider.stubFor(post(MESSAGES_PATH).willReturn(aResponse().withStatus(400).withBody("""
                    {"error":{"message":"(#131056) (Business Account, Consumer Account) pair rate limit hit","type":"OAuthException","code":131056}}""")));

            assertThat(send("Oi", List.of())).isInstanceOfSatisfying(SendResult.Retryable.class,
                    retry -> assertThat(retry.code()).isEqualTo("131056"));
        }

        @Test
        void an_expired_token_is_permanent() {
            provider.stubFor(post(MESSAGES_PATH).willReturn(aResponse().withStatus(401).withBody("""
                    {"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463}}""")));

            assertThat(send("Oi", List.of())).isInstanceOfSatisfying(SendResult.Permanent.class, failure -> {
                assertThat(failure.code()).isEqualTo("190");
                assertThat(failure.reason()).contains("access token");
            });
        }

        @Test
        void a_meta_server_error_is_retryable() {
            provider.stubFor(post(MESSAGES_PATH).willReturn(aResponse().withStatus(500).withBody("""
                    {"error":{"message":"An unknown error occurred","type":"OAuthException","code":1}}""")));

            assertThat(send("Oi", List.of())).isInstanceOf(SendResult.Retryable.class);
        }
    }

    @Nested
    class Evolution {

        private SendResult send(String baseUrl, String to) {
            return new EvolutionSender(url -> java.util.Optional.empty()).send(new OutboundRequest(to, "Olá, Maria!", List.of(),
                    Map.of("api_key", "evo-key"), Map.of("base_url", baseUrl, "instance", "inst1"), null));
        }

        @Test
        void a_text_is_posted_with_the_apikey_header_and_digits_only_number_and_gives_the_key_id() {
            provider.stubFor(post("/message/sendText/inst1").willReturn(aResponse().withStatus(201).withBody("""
                    {"key":{"remoteJid":"5511999998888@s.whatsapp.net","fromMe":true,"id":"BAE5F2B1C3D4"},
                     "message":{"extendedTextMessage":{"text":"Olá, Maria!"}},"messageTimestamp":"1717000000","status":"PENDING"}""")));

            assertThat(send(provider.baseUrl(), "+55 11 99999-8888")).isEqualTo(new SendResult.Sent("BAE5F2B1C3D4"));
            provider.verify(postRequestedFor(urlEqualTo("/message/sendText/inst1"))
                    .withHeader("apikey", equalTo("evo-key"))
                    .withRequestBody(equalToJson("{\"number\":\"5511999998888\",\"text\":\"Olá, Maria!\"}")));
        }

        @Test
        void a_number_not_on_whatsapp_is_a_permanent_failure_that_says_so() {
            provider.stubFor(post("/message/sendText/inst1").willReturn(aResponse().withStatus(400).withBody("""
                    {"status":400,"error":"Bad Request","response":{"message":[{"jid":"5511000000000@s.whatsapp.net","exists":false,"number":"5511000000000"}]}}""")));

            assertThat(send(provider.baseUrl(), "5511000000000")).isInstanceOfSatisfying(SendResult.Permanent.class, failure -> {
                assertThat(failure.code()).isEqualTo("http_400");
                assertThat(failure.reason()).contains("5511000000000 is not on WhatsApp");
            });
        }

        @Test
        void an_evolution_server_error_is_retryable() {
            provider.stubFor(post("/message/sendText/inst1").willReturn(aResponse().withStatus(500).withBody("""
                    {"status":500,"error":"Internal Server Error","response":{"message":"Connection Closed"}}""")));

            assertThat(send(provider.baseUrl(), "5511999998888")).isInstanceOfSatisfying(SendResult.Retryable.class,
                    retry -> assertThat(retry.reason()).contains("Connection Closed"));
        }

        @Test
        void a_refused_connection_is_retryable() throws IOException {
            assertThat(send("http://127.0.0.1:" + closedPort(), "5511999998888"))
                    .isInstanceOfSatisfying(SendResult.Retryable.class, retry -> assertThat(retry.code()).isEqualTo("network"));
        }
    }
}
