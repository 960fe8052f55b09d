package io.switchboard.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.switchboard.support.AiFixtures.COMPLETIONS;
import static io.switchboard.support.AiFixtures.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Instagram Direct, Facebook Messenger and Telegram end to end: the provider's webhook in its real format, the AI
 * agent's answer from the fake LLM, and the reply arriving at the fake provider API (Graph {@code /me/messages},
 * Bot API {@code sendMessage}) for the customer who wrote.
 */
@IntegrationTest
class MoreChannelsAiTest {

    static final Map<String, Object> FAST = Map.of("context_timer_seconds", 1, "response_delay_min", 0, "response_delay_max", 0);

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Autowired
    JsonMapper json;

    WireMockServer fake;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
    }

    @Test
    void aTelegramMessageIsAnsweredByTheAiThroughSendMessageAndARetriedUpdateIsStoredOnce() {
        var setup = fixtures.create("Telegram AI", FAST, List.of(), true);
        String token = Channels.telegramToken(setup.tenant());
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).withHeader("Authorization", equalTo("Bearer " + setup.llmKey()))
                .willReturn(answer("Oi Maria! O frete é grátis acima de R$ 200.", 100, 0, 20)));
        fake.stubFor(post(urlPathEqualTo("/bot" + token + "/sendMessage")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":true,\"result\":{\"message_id\":778,\"from\":{\"id\":7000000001,\"is_bot\":true,\"first_name\":\"Loja\"},"
                        + "\"chat\":{\"id\":555000111,\"type\":\"private\"},\"date\":1733140005,\"text\":\"…\"}}")));
        UUID account = channels.telegramAccount(setup.tenant(), setup.agentId());

        assertThat(channels.telegramMessage(account, 9001, 555000111L, 42, "quanto é o frete?", "wrong").status()).isEqualTo(403);
        assertThat(channels.telegramMessage(account, 9001, 555000111L, 42, "quanto é o frete?", null).status()).isEqualTo(403);
        assertThat(channels.telegramMessage(account, 9001, 555000111L, 42, "quanto é o frete?", Channels.TELEGRAM_SECRET).status()).isEqualTo(200);
        // Telegram retries an update it thinks failed: the same message is not stored or answered twice
        assertThat(channels.telegramMessage(account, 9001, 555000111L, 42, "quanto é o frete?", Channels.TELEGRAM_SECRET).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> !sent(urlPathEqualTo("/bot" + token + "/sendMessage")).isEmpty());
        JsonNode sendMessage = json.readTree(sent(urlPathEqualTo("/bot" + token + "/sendMessage")).get(0).getBodyAsString());
        assertThat(sendMessage.get("chat_id").asString()).isEqualTo("555000111");
        assertThat(sendMessage.get("text").asString()).isEqualTo("Oi Maria! O frete é grátis acima de R$ 200.");

        JsonNode conversation = onlyConversation(setup.tenant().agentToken());
        assertThat(conversation.get("origin").get("channel_type").asString()).isEqualTo("telegram");
        assertThat(conversation.get("contact").get("name").asString()).isEqualTo("Maria Silva");
        List<String> contents = contents(conversation, setup.tenant().agentToken());
        assertThat(contents).containsExactly("quanto é o frete?", "Oi Maria! O frete é grátis acima de R$ 200.");
        await().atMost(Duration.ofSeconds(10)).until(() -> "sent".equals(lastStatus(conversation, setup.tenant().agentToken())));
        assertThat(sent(urlPathEqualTo("/bot" + token + "/sendMessage"))).hasSize(1);
    }

    @Test
    void anInstagramDirectMessageIsAnsweredByTheAiThroughTheGraphSendApiWithThePageToken() {
        var setup = fixtures.create("Instagram AI", FAST, List.of(), true);
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).withHeader("Authorization", equalTo("Bearer " + setup.llmKey()))
                .willReturn(answer("Olá! Temos sim, no tamanho M.", 100, 0, 20)));
        graphAccepts(setup.tenant());
        UUID account = channels.instagramAccount(setup.tenant(), setup.agentId());
        String ours = Channels.instagramAccountId(setup.tenant());
        String body = Channels.metaMessagingText("instagram", ours, "6543210987654321", "aWdfZAG1faXRlbTox" + UUID.randomUUID(),
                "tem essa blusa no M?");

        assertThat(channels.metaMessagingPost("instagram", account, body, "not-the-secret").status()).isEqualTo(403);
        assertThat(channels.metaMessagingPost("instagram", account, body, Channels.META_SECRET).status()).isEqualTo(200);
        // our own reply comes back as an echo: never a customer message
        channels.metaMessagingPost("instagram", account, """
                {"object":"instagram","entry":[{"id":"%s","time":1733140001000,"messaging":[{"sender":{"id":"%s"},
                 "recipient":{"id":"6543210987654321"},"timestamp":1733140001000,"message":{"mid":"echo-1","text":"eco","is_echo":true}}]}]}"""
                .formatted(ours, ours), Channels.META_SECRET);

        JsonNode request = awaitGraphSend(setup.tenant());
        assertThat(request.get("recipient").get("id").asString()).isEqualTo("6543210987654321");
        assertThat(request.get("message").get("text").asString()).isEqualTo("Olá! Temos sim, no tamanho M.");
        JsonNode conversation = onlyConversation(setup.tenant().agentToken());
        assertThat(conversation.get("origin").get("channel_type").asString()).isEqualTo("instagram");
        assertThat(contents(conversation, setup.tenant().agentToken())).containsExactly("tem essa blusa no M?", "Olá! Temos sim, no tamanho M.");
    }

    @Test
    void aMessengerMessageIsAnsweredByTheAiAndTheDeliveryReceiptMovesItsStatus() {
        var setup = fixtures.create("Messenger AI", FAST, List.of(), true);
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).withHeader("Authorization", equalTo("Bearer " + setup.llmKey()))
                .willReturn(answer("Abrimos às 9h, de segunda a sábado.", 100, 0, 20)));
        graphAccepts(setup.tenant());
        UUID account = channels.messengerAccount(setup.tenant(), setup.agentId());
        String page = Channels.pageId(setup.tenant());

        // Meta's subscription handshake
        var verify = api.get("/webhooks/messenger/" + account + "?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444", null);
        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.body()).isEqualTo("1158201444");
        // another page of the same app: acknowledged, not ours
        channels.metaMessagingPost("messenger", account, Channels.metaMessagingText("page", "999", "1111", "m_other", "não é daqui"),
                Channels.META_SECRET);
        assertThat(channels.metaMessagingPost("messenger", account,
                Channels.metaMessagingText("page", page, "24681357924680", "m_" + UUID.randomUUID(), "que horas vocês abrem?"),
                Channels.META_SECRET).status()).isEqualTo(200);

        JsonNode request = awaitGraphSend(setup.tenant());
        assertThat(request.get("recipient").get("id").asString()).isEqualTo("24681357924680");
        assertThat(request.get("messaging_type").asString()).isEqualTo("RESPONSE");
        assertThat(request.get("message").get("text").asString()).isEqualTo("Abrimos às 9h, de segunda a sábado.");
        JsonNode conversation = onlyConversation(setup.tenant().agentToken());
        assertThat(conversation.get("origin").get("channel_type").asString()).isEqualTo("messenger");
        await().atMost(Duration.ofSeconds(10)).until(() -> "sent".equals(lastStatus(conversation, setup.tenant().agentToken())));

        String mid = "m_sent_" + setup.tenant().id();
        channels.metaMessagingPost("messenger", account, """
                {"object":"page","entry":[{"id":"%s","time":1733140009000,"messaging":[{"sender":{"id":"24681357924680"},
                 "recipient":{"id":"%s"},"timestamp":1733140009000,"delivery":{"mids":["%s"],"watermark":1733140008000}}]}]}"""
                .formatted(page, page, mid), Channels.META_SECRET);
        assertThat(lastStatus(conversation, setup.tenant().agentToken())).isEqualTo("delivered");
    }

    /** The Graph API accepts this tenant's sends (recognized by its page token) with a message id of the tenant. */
    private void graphAccepts(io.switchboard.support.Tenants.Tenant tenant) {
        fake.stubFor(post(urlPathMatching("/v[0-9.]+/me/messages")).withHeader("Authorization", equalTo("Bearer " + Channels.pageToken(tenant)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"recipient_id\":\"x\",\"message_id\":\"m_sent_" + tenant.id() + "\"}")));
    }

    private JsonNode awaitGraphSend(io.switchboard.support.Tenants.Tenant tenant) {
        var pattern = postRequestedFor(urlPathMatching("/v[0-9.]+/me/messages"))
                .withHeader("Authorization", equalTo("Bearer " + Channels.pageToken(tenant)));
        await().atMost(Duration.ofSeconds(20)).until(() -> !fake.findAll(pattern).isEmpty());
        List<LoggedRequest> requests = fake.findAll(pattern);
        assertThat(requests).hasSize(1);
        return json.readTree(requests.get(0).getBodyAsString());
    }

    private List<LoggedRequest> sent(com.github.tomakehurst.wiremock.matching.UrlPattern url) {
        return fake.findAll(postRequestedFor(url));
    }

    private JsonNode onlyConversation(String token) {
        JsonNode items = api.get("/api/v1/conversations", token).json().get("items");
        assertThat(items.size()).isEqualTo(1);
        return items.get(0);
    }

    private List<String> contents(JsonNode conversation, String token) {
        JsonNode items = api.get("/api/v1/conversations/" + conversation.get("id").asString() + "/messages", token).json().get("items");
        List<String> contents = new java.util.ArrayList<>();
        items.forEach(m -> contents.add(m.get("content").asString()));
        return contents;
    }

    private String lastStatus(JsonNode conversation, String token) {
        JsonNode items = api.get("/api/v1/conversations/" + conversation.get("id").asString() + "/messages", token).json().get("items");
        return items.get(items.size() - 1).get("status").asString();
    }
}
