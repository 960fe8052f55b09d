package io.switchboard.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Message;
import io.switchboard.conversation.MessageDeliveries;
import io.switchboard.conversation.SenderType;
import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.SignedInSession;
import io.switchboard.support.Tenants;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A delivery job revived after its node died mid-call (issue 19 §3): the message is found {@code sending}, as
 * the dead node left it, and must not be sent blind. Each test has its own Twilio account SID, so request
 * counts on the shared fake are this test's alone.
 */
@IntegrationTest
class DeliveryRecoveryTest {

    private static final String TWILIO_FROM = "whatsapp:+14155238886";

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Channels channels;

    @Autowired
    Conversations conversations;

    @Autowired
    MessageDeliveries deliveries;

    @Autowired
    SchedulerClient scheduler;

    @Autowired
    JdbcClient jdbc;

    WireMockServer fake;

    @BeforeEach
    void freshFake() {
        fake = ProviderFakes.fresh();
    }

    @Test
    void aRevivedTwilioDeliveryThatFindsItsMessageAtTwilioRecordsItInsteadOfSendingAgain() {
        var setup = twilioConversation("+5511977770001");
        String text = "Seu pedido 4512 saiu para entrega hoje.";
        fake.stubFor(post(urlPathEqualTo(setup.messagesPath())).willReturn(created("SMsecond0000000000000000000000001")));
        Message message = interruptedMessage(setup, text);
        Instant markedAt = Instant.now();
        fake.stubFor(get(urlPathEqualTo(setup.messagesPath()))
                .withQueryParam("To", equalTo("whatsapp:+5511977770001"))
                .withQueryParam("From", equalTo(TWILIO_FROM))
                .withQueryParam("DateSent>", matching("\\d{4}-\\d{2}-\\d{2}"))
                .willReturn(messageList(setup.accountSid(),
                        listed("SMdead00000000000000000000000000a1", text, markedAt.plusSeconds(1)),
                        listed("SMolder000000000000000000000000001", "Olá! Como posso ajudar?", markedAt.minusSeconds(3600)))));

        revive(message);

        JsonNode sent = awaitStatus(setup, message.id(), "sent");
        assertThat(sent.get("provider_message_id").asString()).as("the send the dead node made is the one recorded")
                .isEqualTo("SMdead00000000000000000000000000a1");
        fake.verify(1, getRequestedFor(urlPathEqualTo(setup.messagesPath())));
        assertThat(fake.findAll(postRequestedFor(urlPathEqualTo(setup.messagesPath())))).as("the customer gets it once").isEmpty();
    }

    @Test
    void aRevivedTwilioDeliveryWhoseMessageTwilioNeverCreatedSendsItOnce() {
        var setup = twilioConversation("+5511977770002");
        fake.stubFor(post(urlPathEqualTo(setup.messagesPath())).willReturn(created("SMonce00000000000000000000000000b1")));
        fake.stubFor(get(urlPathEqualTo(setup.messagesPath())).willReturn(messageList(setup.accountSid())));
        Message message = interruptedMessage(setup, "Já separamos seu pedido.");

        revive(message);

        JsonNode sent = awaitStatus(setup, message.id(), "sent");
        assertThat(sent.get("provider_message_id").asString()).isEqualTo("SMonce00000000000000000000000000b1");
        fake.verify(1, getRequestedFor(urlPathEqualTo(setup.messagesPath())));
        fake.verify(1, postRequestedFor(urlPathEqualTo(setup.messagesPath())));
    }

    @Test
    void aTwilioCallThatDropsAfterTheRequestLeftIsCheckedAtTwilioBeforeAnyResend() {
        var setup = twilioConversation("+5511977770006");
        String text = "Confirmamos sua troca.";
        // Twilio took the request but the connection died before its answer reached us
        fake.stubFor(post(urlPathEqualTo(setup.messagesPath())).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        fake.stubFor(get(urlPathEqualTo(setup.messagesPath())).willReturn(messageList(setup.accountSid(),
                listed("SMdropped000000000000000000000001", text, Instant.now()))));

        var reply = api.post("/api/v1/conversations/" + setup.conversationId() + "/messages", setup.tenant().agentToken(),
                Map.of("content", text));
        UUID id = UUID.fromString(reply.json().get("id").asString());

        assertThat(awaitStatus(setup, id, "sent").get("provider_message_id").asString()).isEqualTo("SMdropped000000000000000000000001");
        fake.verify(1, postRequestedFor(urlPathEqualTo(setup.messagesPath())));
        fake.verify(1, getRequestedFor(urlPathEqualTo(setup.messagesPath())));
    }

    @Test
    void anAiReplyTheDeadNodeHadFullySentIsRecordedSentNotDiscardedWhenAPersonTookOverMeanwhile() {
        var setup = twilioConversation("+5511977770007");
        Message message = TenantScope.call(setup.tenant().id(), () -> {
            Message stored = conversations.postOutbound(UUID.fromString(setup.conversationId()), SenderType.AI_AGENT, null, null,
                    "Seu pedido chega amanhã.", null, Instant.now().plus(Duration.ofHours(1)), false);
            deliveries.markSending(stored.id(), 0, 1);
            // Twilio took it; the node died before recording the message as sent
            deliveries.recordAccepted(stored.id(), 0, "SMfull00000000000000000000000000g1");
            conversations.assignToHuman(UUID.fromString(setup.conversationId()), setup.tenant().agent().id(), setup.tenant().agent().id());
            return conversations.message(stored.id());
        });

        revive(message);

        JsonNode sent = awaitStatus(setup, message.id(), "sent");
        assertThat(sent.get("provider_message_id").asString()).isEqualTo("SMfull00000000000000000000000000g1");
        assertThat(fake.findAll(postRequestedFor(urlPathEqualTo(setup.messagesPath())))).isEmpty();
        assertThat(fake.findAll(getRequestedFor(urlPathEqualTo(setup.messagesPath())))).as("nothing was in doubt").isEmpty();
    }

    @Test
    void aRevivedMetaDeliveryIsNotSentBlindButFlaggedForAPersonWhoCanSendItAgain() throws Exception {
        var tenant = tenants.create("Recovery Meta");
        String phoneNumberId = "3000" + System.nanoTime() % 100_000_000L;
        UUID account = channels.create(tenant, Map.of("type", "meta_cloud", "name", "WhatsApp Cloud", "config", Map.of(
                "phone_number_id", phoneNumberId, "access_token", "meta-token", "app_secret", Channels.META_SECRET,
                "verify_token", "verify-me")));
        assertThat(channels.metaPost(account, metaInbound(phoneNumberId, "5521977770003", "wamid.in-" + UUID.randomUUID()),
                Channels.META_SECRET).status()).isEqualTo(200);
        String conversationId = onlyConversation(tenant);
        var setup = new Setup(tenant, account, conversationId, null);
        String sendPath = "/v[0-9.]+/" + phoneNumberId + "/messages";
        fake.stubFor(post(urlPathMatching(sendPath)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"5521977770003\",\"wa_id\":\"5521977770003\"}],"
                        + "\"messages\":[{\"id\":\"wamid.resent-by-a-person\"}]}")));
        Message message = interruptedMessage(setup, "Seu reembolso foi aprovado.");

        revive(message);

        JsonNode flagged = awaitStatus(setup, message.id(), "unconfirmed");
        assertThat(flagged.get("error_reason").asString()).contains("unknown whether the customer received");
        assertThat(fake.findAll(postRequestedFor(urlPathMatching(sendPath)))).as("never sent blind").isEmpty();
        var conversation = api.get("/api/v1/conversations/" + conversationId, tenant.agentToken()).json();
        assertThat(conversation.get("requires_human_attention").asBoolean()).as("a person must look at it").isTrue();
        assertThat(TenantScope.call(tenant.id(), () -> jdbc.sql(
                        "select count(*) from conversation_events where conversation_id = ?::uuid and type = 'delivery_unconfirmed'")
                .param(conversationId).query(Integer.class).single())).isEqualTo(1);

        // the inbox says so in the person's language and offers to send it again
        SignedInSession session = new SignedInSession(api.baseUrl(), tenant.agent().email());
        String english = session.get("/inbox/conversations/" + conversationId, "Accept-Language", "en").body();
        assertThat(english).contains("delivery-unconfirmed").contains("Unconfirmed")
                .contains("cannot tell whether the customer received this message")
                .contains("/messages/" + message.id() + "/retry");
        assertThat(session.get("/inbox/conversations/" + conversationId, "Accept-Language", "pt-BR").body())
                .contains("Não confirmada").contains("não sabemos se o cliente recebeu");

        // the person checked with the customer and sends it again: it goes out once
        assertThat(api.post("/api/v1/conversations/" + conversationId + "/messages/" + message.id() + "/retry",
                tenant.agentToken(), Map.of()).status()).isEqualTo(200);
        assertThat(awaitStatus(setup, message.id(), "sent").get("provider_message_id").asString()).isEqualTo("wamid.resent-by-a-person");
        fake.verify(1, postRequestedFor(urlPathMatching(sendPath)));
    }

    @Test
    void theSendingMarkIsCommittedBeforeTheProviderAnswers() throws Exception {
        var setup = twilioConversation("+5511977770004");
        fake.stubFor(post(urlPathEqualTo(setup.messagesPath()))
                .willReturn(created("SMslow00000000000000000000000000d1").withFixedDelay(4000)));

        SignedInSession session = new SignedInSession(api.baseUrl(), setup.tenant().agent().email());
        var reply = api.post("/api/v1/conversations/" + setup.conversationId() + "/messages", setup.tenant().agentToken(),
                Map.of("content", "Um momento, por favor."));
        UUID id = UUID.fromString(reply.json().get("id").asString());

        // while Twilio holds the call, another connection already sees the durable mark, and so does the inbox
        awaitStatus(setup, id, "sending");
        assertThat(session.get("/inbox/conversations/" + setup.conversationId(), "Accept-Language", "pt-BR").body())
                .contains("delivery-sending").contains("Enviando…");
        List<MessageDeliveries.Part> parts = TenantScope.call(setup.tenant().id(), () -> deliveries.parts(id));
        assertThat(parts).singleElement().satisfies(part -> {
            assertThat(part.index()).isZero();
            assertThat(part.attempt()).isEqualTo(1);
            assertThat(part.accepted()).isFalse();
        });
        awaitStatus(setup, id, "sent");
        assertThat(TenantScope.call(setup.tenant().id(), () -> deliveries.parts(id))).singleElement()
                .satisfies(part -> assertThat(part.providerMessageId()).isEqualTo("SMslow00000000000000000000000000d1"));
    }

    @Test
    void aStatusCallbackForThe2ndPartOfASplitMessageAdvancesTheMessage() {
        var setup = twilioConversation("+5511977770005");
        String path = setup.messagesPath();
        String state = Scenario.STARTED;
        for (int part = 1; part <= 6; part++) {
            String next = "part" + (part + 1);
            fake.stubFor(post(urlPathEqualTo(path)).inScenario("parts").whenScenarioStateIs(state)
                    .willReturn(created("SMpart" + part + "000000000000000000000000000e")).willSetStateTo(next));
            state = next;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 1; text.length() < 5000; i++) {
            text.append("Frase número ").append(i).append(" explica mais um detalhe do pedido. ");
        }
        var reply = api.post("/api/v1/conversations/" + setup.conversationId() + "/messages", setup.tenant().agentToken(),
                Map.of("content", text.toString().trim()));
        UUID id = UUID.fromString(reply.json().get("id").asString());
        awaitStatus(setup, id, "sent");
        assertThat(TenantScope.call(setup.tenant().id(), () -> deliveries.parts(id))).extracting(MessageDeliveries.Part::providerMessageId)
                .startsWith("SMpart1000000000000000000000000000e", "SMpart2000000000000000000000000000e");

        assertThat(channels.twilioStatus(setup.account(), "SMpart2000000000000000000000000000e", "delivered", null).status())
                .isEqualTo(200);

        assertThat(message(setup, id).get("status").asString()).isEqualTo("delivered");
    }

    private record Setup(Tenants.Tenant tenant, UUID account, String conversationId, String accountSid) {
        String messagesPath() {
            return "/2010-04-01/Accounts/" + accountSid + "/Messages.json";
        }
    }

    private Setup twilioConversation(String phone) {
        var tenant = tenants.create("Recovery " + phone);
        String accountSid = "AC" + UUID.randomUUID().toString().replace("-", "");
        UUID account = channels.create(tenant, Map.of("type", "twilio", "name", "WhatsApp Twilio", "config", Map.of(
                "account_sid", accountSid, "auth_token", Channels.TWILIO_TOKEN, "from", TWILIO_FROM)));
        channels.twilioMessage(account, "SM" + UUID.randomUUID().toString().replace("-", ""), phone, "Oi");
        return new Setup(tenant, account, onlyConversation(tenant), accountSid);
    }

    private String onlyConversation(Tenants.Tenant tenant) {
        return api.get("/api/v1/conversations", tenant.agentToken()).json().get("items").get(0).get("id").asString();
    }

    /**
     * A message whose delivery job was claimed by a node that committed the sending mark for its first part and
     * died in the provider call: the job is still there, for later, until it is revived.
     */
    private Message interruptedMessage(Setup setup, String text) {
        return TenantScope.call(setup.tenant().id(), () -> {
            Message stored = conversations.postOutbound(UUID.fromString(setup.conversationId()), SenderType.AGENT,
                    setup.tenant().agent().id(), null, text, null, Instant.now().plus(Duration.ofHours(1)), false);
            assertThat(deliveries.markSending(stored.id(), 0, 1)).isTrue();
            return conversations.message(stored.id());
        });
    }

    /** What the scheduler does when it finds the dead node's job: runs it again on a live node. */
    private void revive(Message message) {
        assertThat(message.status()).isEqualTo(io.switchboard.conversation.MessageStatus.SENDING);
        assertThat(scheduler.reschedule(TaskInstanceId.of(OutboundDelivery.TASK.getTaskName(), message.id().toString()),
                Instant.now())).isTrue();
    }

    private JsonNode awaitStatus(Setup setup, UUID messageId, String status) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> status.equals(message(setup, messageId).get("status").asString()));
        return message(setup, messageId);
    }

    private JsonNode message(Setup setup, UUID messageId) {
        for (JsonNode m : api.get("/api/v1/conversations/" + setup.conversationId() + "/messages", setup.tenant().agentToken()).json().get("items")) {
            if (m.get("id").asString().equals(messageId.toString())) {
                return m;
            }
        }
        throw new AssertionError("message " + messageId + " not found");
    }

    private static ResponseDefinitionBuilder created(String sid) {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"sid\":\"" + sid + "\",\"status\":\"queued\",\"error_code\":null,\"error_message\":null}");
    }

    /** Twilio's list page, newest first, as GET …/Messages.json answers it. */
    private static ResponseDefinitionBuilder messageList(String accountSid, String... messages) {
        String uri = "/2010-04-01/Accounts/" + accountSid + "/Messages.json?PageSize=100&Page=0";
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                {"end":%d,"first_page_uri":"%s","messages":[%s],"next_page_uri":null,"page":0,"page_size":100,
                "previous_page_uri":null,"start":0,"uri":"%s"}""".formatted(Math.max(0, messages.length - 1), uri,
                String.join(",", messages), uri));
    }

    private static String listed(String sid, String body, Instant created) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(created.atOffset(ZoneOffset.UTC)).replace("GMT", "+0000");
        return """
                {"account_sid":"AC","api_version":"2010-04-01","body":"%s","date_created":"%s","date_sent":"%s",
                "date_updated":"%s","direction":"outbound-api","error_code":null,"error_message":null,
                "from":"whatsapp:+14155238886","messaging_service_sid":null,"num_media":"0","num_segments":"1",
                "price":null,"price_unit":"USD","sid":"%s","status":"sent","to":"whatsapp:+5511977770001"}"""
                .formatted(body, date, date, date, sid);
    }

    private static String metaInbound(String phoneNumberId, String from, String wamid) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},
                "contacts":[{"profile":{"name":"Rita"},"wa_id":"%s"}],
                "messages":[{"from":"%s","id":"%s","timestamp":"1717000000","type":"text","text":{"body":"Oi"}}]},
                "field":"messages"}]}]}""".formatted(phoneNumberId, from, from, wamid);
    }
}
