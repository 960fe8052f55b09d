package io.switchboard.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.Tenants;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class OutboundDeliveryTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Channels channels;

    WireMockServer twilio;

    @BeforeEach
    void freshFake() {
        twilio = ProviderFakes.fresh();
    }

    @Test
    void anAgentReplyReachesTwilioWithBasicAuthAndTheRightForm() {
        var conversation = inboundConversation("+5511988880001");
        twilio.stubFor(post(urlEqualTo(conversation.messages())).willReturn(created("SMout0000000000000000000000000001")));

        var reply = api.post("/api/v1/conversations/" + conversation.id + "/messages", conversation.tenant.agentToken(),
                Map.of("content", "Seu pedido 123 saiu para entrega."));
        assertThat(reply.status()).isEqualTo(201);

        JsonNode delivered = awaitStatus(conversation, reply.json().get("id").asString(), "sent");
        assertThat(delivered.get("provider_message_id").asString()).isEqualTo("SMout0000000000000000000000000001");
        twilio.verify(postRequestedFor(urlEqualTo(conversation.messages()))
                .withHeader("Authorization", equalTo("Basic " + Base64.getEncoder().encodeToString(
                        (Channels.twilioSid(conversation.tenant) + ":" + Channels.TWILIO_TOKEN).getBytes(StandardCharsets.UTF_8))))
                .withRequestBody(containing("To=whatsapp%3A%2B5511988880001"))
                .withRequestBody(containing("From=whatsapp%3A%2B14155238886"))
                .withRequestBody(containing("Body=Seu+pedido+123")));
    }

    @Test
    void aProvider503IsRetriedUntilItSucceeds() {
        var conversation = inboundConversation("+5511988880002");
        twilio.stubFor(post(urlEqualTo(conversation.messages())).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("{\"code\":20500,\"message\":\"Service unavailable\",\"status\":503}"))
                .willSetStateTo("recovered"));
        twilio.stubFor(post(urlEqualTo(conversation.messages())).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(created("SMretry000000000000000000000000001")));

        var reply = api.post("/api/v1/conversations/" + conversation.id + "/messages", conversation.tenant.agentToken(),
                Map.of("content", "Tentando de novo"));

        awaitStatus(conversation, reply.json().get("id").asString(), "sent");
        twilio.verify(2, postRequestedFor(urlEqualTo(conversation.messages())));
    }

    @Test
    void anInvalidNumberFailsPermanentlyWithTheProvidersCodeAndAReadableReason() {
        var conversation = inboundConversation("+5511988880003");
        twilio.stubFor(post(urlEqualTo(conversation.messages())).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"code\":21211,\"message\":\"The 'To' number is not a valid phone number.\",\"status\":400}")));

        var reply = api.post("/api/v1/conversations/" + conversation.id + "/messages", conversation.tenant.agentToken(),
                Map.of("content", "Olá"));

        JsonNode failed = awaitStatus(conversation, reply.json().get("id").asString(), "failed");
        assertThat(failed.get("error_code").asString()).isEqualTo("21211");
        assertThat(failed.get("error_reason").asString()).isNotBlank();
        twilio.verify(1, postRequestedFor(urlEqualTo(conversation.messages())));
        var conversationNow = api.get("/api/v1/conversations/" + conversation.id, conversation.tenant.agentToken()).json();
        assertThat(conversationNow.get("requires_human_attention").asBoolean()).as("a person must see the failure").isTrue();

        // the number is fixed on Twilio's side; a person sends the message again
        twilio.stubFor(post(urlEqualTo(conversation.messages())).willReturn(created("SMagain00000000000000000000000001")));
        var retried = api.post("/api/v1/conversations/" + conversation.id + "/messages/" + reply.json().get("id").asString()
                + "/retry", conversation.tenant.agentToken(), Map.of());
        assertThat(retried.status()).isEqualTo(200);
        assertThat(awaitStatus(conversation, reply.json().get("id").asString(), "sent").get("provider_message_id").asString())
                .isEqualTo("SMagain00000000000000000000000001");
        assertThat(api.post("/api/v1/conversations/" + conversation.id + "/messages/" + reply.json().get("id").asString()
                + "/retry", conversation.tenant.agentToken(), Map.of()).status()).as("a sent message is not sent twice").isEqualTo(409);
    }

    @Test
    void theWhatsappWindowErrorInAStatusCallbackMarksTheMessageFailedWithItsReason() {
        var conversation = inboundConversation("+5511988880004");
        twilio.stubFor(post(urlEqualTo(conversation.messages())).willReturn(created("SMwindow00000000000000000000000001")));
        var reply = api.post("/api/v1/conversations/" + conversation.id + "/messages", conversation.tenant.agentToken(),
                Map.of("content", "Ainda precisa de ajuda?"));
        String id = reply.json().get("id").asString();
        awaitStatus(conversation, id, "sent");

        assertThat(channels.twilioStatus(conversation.account, "SMwindow00000000000000000000000001", "failed", "63016").status())
                .isEqualTo(200);

        JsonNode failed = message(conversation, id);
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("error_code").asString()).isEqualTo("63016");
        assertThat(failed.get("error_reason").asString()).containsIgnoringCase("24");
    }

    @Test
    void statusCallbacksArrivingOutOfOrderNeverMoveTheStatusBackwards() {
        var conversation = inboundConversation("+5511988880005");
        twilio.stubFor(post(urlEqualTo(conversation.messages())).willReturn(created("SMorder000000000000000000000000001")));
        var reply = api.post("/api/v1/conversations/" + conversation.id + "/messages", conversation.tenant.agentToken(),
                Map.of("content", "Status em ordem?"));
        String id = reply.json().get("id").asString();
        awaitStatus(conversation, id, "sent");

        for (String status : List.of("read", "delivered", "sent", "queued")) {
            channels.twilioStatus(conversation.account, "SMorder000000000000000000000000001", status, null);
        }
        assertThat(message(conversation, id).get("status").asString()).isEqualTo("read");
        channels.twilioStatus(conversation.account, "SMorder000000000000000000000000001", "failed", "30008");
        assertThat(message(conversation, id).get("status").asString()).isEqualTo("read");
    }

    @Test
    void aFiveThousandCharacterAnswerArrivesAsOrderedPartsWithinTwiliosLimit() {
        var conversation = inboundConversation("+5511988880006");
        twilio.stubFor(post(urlEqualTo(conversation.messages())).willReturn(created("SMpart0000000000000000000000000001")));
        StringBuilder text = new StringBuilder();
        for (int i = 1; text.length() < 5000; i++) {
            text.append("Frase número ").append(i).append(" explica mais um detalhe do pedido. ");
        }
        String answer = text.toString().trim();

        var reply = api.post("/api/v1/conversations/" + conversation.id + "/messages", conversation.tenant.agentToken(),
                Map.of("content", answer));
        awaitStatus(conversation, reply.json().get("id").asString(), "sent");

        List<String> bodies = new ArrayList<>();
        twilio.findAll(postRequestedFor(urlEqualTo(conversation.messages()))).forEach(r -> {
            for (String pair : r.getBodyAsString().split("&")) {
                if (pair.startsWith("Body=")) {
                    bodies.add(URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8));
                }
            }
        });
        assertThat(bodies).hasSizeGreaterThanOrEqualTo(4);
        assertThat(bodies).allSatisfy(b -> assertThat(b.length()).isLessThanOrEqualTo(1600));
        assertThat(bodies).allSatisfy(b -> assertThat(b).endsWith("."));
        assertThat(String.join(" ", bodies).replaceAll("\\s+", " ")).isEqualTo(answer.replaceAll("\\s+", " "));
    }

    @Test
    void anApiChannelReplyIsPostedToTheIntegrationSignedWithItsSecret() throws Exception {
        twilio.stubFor(post(urlEqualTo("/integration/inbox")).willReturn(aResponse().withStatus(204)));
        var tenant = tenants.create("Api Outbound");
        UUID account = channels.create(tenant, Map.of("type", "api", "name", "Backend", "config", Map.of(
                "outbound_webhook_url", ProviderFakes.baseUrl() + "/integration/inbox", "outbound_webhook_secret", "shh")));
        var posted = api.post("/api/v1/channels/api/" + account + "/messages", tenant.integrationToken(),
                Map.of("external_id", "e-1", "from", Map.of("identifier", "user-7"), "text", "Oi"));
        String conversationId = posted.json().get("conversation_id").asString();

        var reply = api.post("/api/v1/conversations/" + conversationId + "/messages", tenant.agentToken(), Map.of("content", "Olá do time"));
        awaitStatus(new InboundConversation(tenant, account, conversationId), reply.json().get("id").asString(), "sent");

        var received = twilio.findAll(postRequestedFor(urlEqualTo("/integration/inbox"))).get(0);
        assertThat(received.getBodyAsString()).contains("Olá do time").contains(conversationId);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("shh".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(received.getHeader("X-Switchboard-Signature"))
                .isEqualTo("sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(received.getBody())));
    }

    private record InboundConversation(Tenants.Tenant tenant, UUID account, String id) {

        /** Where Twilio takes this organization's messages (its own account SID). */
        String messages() {
            return Channels.twilioMessagesPath(Channels.twilioSid(tenant));
        }
    }

    private InboundConversation inboundConversation(String phone) {
        var tenant = tenants.create("Outbound " + phone);
        UUID account = channels.twilioAccount(tenant, null);
        channels.twilioMessage(account, "SM" + UUID.randomUUID().toString().replace("-", ""), phone, "Oi");
        String id = api.get("/api/v1/conversations", tenant.agentToken()).json().get("items").get(0).get("id").asString();
        return new InboundConversation(tenant, account, id);
    }

    private JsonNode awaitStatus(InboundConversation conversation, String messageId, String status) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals(message(conversation, messageId).get("status").asString()));
        return message(conversation, messageId);
    }

    private JsonNode message(InboundConversation conversation, String messageId) {
        for (JsonNode m : api.get("/api/v1/conversations/" + conversation.id + "/messages", conversation.tenant.agentToken()).json().get("items")) {
            if (m.get("id").asString().equals(messageId)) {
                return m;
            }
        }
        throw new AssertionError("message " + messageId + " not found");
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder created(String sid) {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"sid\":\"" + sid + "\",\"status\":\"queued\",\"error_code\":null,\"error_message\":null}");
    }
}
