package io.switchboard.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.channel.ChannelAccounts;
import io.switchboard.channel.ChannelType;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.Tenants;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Connecting channels from the admin pages against fake providers speaking their real formats: WhatsApp by QR code
 * through Evolution API (QR shown live, then connected when Evolution says so), a Telegram bot's webhook, and a
 * WhatsApp template sent from the reply box once the 24-hour window closed.
 */
@IntegrationTest
class ChannelsBrowserTest {

    /** A real (1×1) PNG as Evolution sends QR codes: a data URL. */
    static final String QR = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Channels channels;

    @Autowired
    ChannelAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    WireMockServer fake;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
    }

    @Test
    void anAdminConnectsWhatsAppByQrCodeSeesTheCodeUntilEvolutionReportsTheConnectionAndLogsOut() {
        var tenant = tenants.create("Evolution QR Co");
        UUID account = channels.evolutionAccount(tenant);
        String instance = channels.evolutionInstanceOf(account);
        // Evolution does not know the instance yet: it is created with our webhook, and offers the first QR code
        fake.stubFor(get(urlPathEqualTo("/instance/connect/" + instance)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":404,\"error\":\"Not Found\",\"response\":{\"message\":[\"The \\\"" + instance + "\\\" instance does not exist\"]}}")));
        fake.stubFor(post(urlPathEqualTo("/instance/create")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"instance":{"instanceName":"%s","instanceId":"af6c5b7c-ee27-4f94-9ea8-192393746ddd","integration":"WHATSAPP-BAILEYS",
                         "webhookWaBusiness":null,"accessTokenWaBusiness":"","status":"connecting"},"hash":"B5E6E6A2-0B5A-4C7E",
                         "webhook":{},"websocket":{},"rabbitmq":{},"nats":{},"sqs":{},"settings":{"rejectCall":false},
                         "qrcode":{"pairingCode":null,"code":"2@y8eK+bjtEjUWy9/FOM...","base64":"%s","count":1}}""".formatted(instance, QR))));
        fake.stubFor(delete(urlPathEqualTo("/instance/logout/" + instance)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"SUCCESS\",\"error\":false,\"response\":{\"message\":\"Instance logged out\"}}")));

        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(tenant.admin().email(), Tenants.PASSWORD);
            browser.visit("/admin/channels/" + account);
            browser.waitForText(By.id("evolution-state"), "Disconnected");
            browser.click(By.id("evolution-connect"));
            browser.waitForText(By.id("evolution-state"), "Waiting for the QR code to be scanned");
            assertThat(browser.attribute(By.id("evolution-qr"), "src")).isEqualTo(QR);

            JsonNode created = json.readTree(fake.findAll(postRequestedFor(urlPathEqualTo("/instance/create"))).get(0).getBodyAsString());
            assertThat(created.get("instanceName").asString()).isEqualTo(instance);
            assertThat(created.get("qrcode").asBoolean()).isTrue();
            assertThat(created.get("webhook").get("url").asString()).endsWith("/webhooks/evolution/" + account);
            assertThat(created.get("webhook").get("headers").get("X-Webhook-Secret").asString()).isEqualTo(Channels.EVOLUTION_SECRET);
            assertThat(created.get("webhook").get("events").toString()).contains("CONNECTION_UPDATE").contains("QRCODE_UPDATED")
                    .contains("MESSAGES_UPSERT");

            // the phone scanned the code: Evolution reports it on our webhook, and the open page follows by itself
            var update = evolutionEvent(account, """
                    {"event":"connection.update","instance":"%s","data":{"instance":"%s","wuid":"5511999990000@s.whatsapp.net",
                     "profileName":"Loja Exemplo","profilePictureUrl":null,"state":"open","statusReason":200},
                     "destination":"http://localhost/webhooks","date_time":"2026-12-02T12:00:00.000Z","sender":"5511999990000@s.whatsapp.net",
                     "server_url":"http://localhost:8080","apikey":"evo-key"}""".formatted(instance, instance));
            assertThat(update.status()).isEqualTo(200);
            browser.waitForText(By.id("evolution-state"), "Connected");
            assertThat(browser.driver.findElements(By.id("evolution-qr"))).isEmpty();
            browser.screenshot("admin-channel-evolution-connected");

            browser.click(By.id("evolution-logout"));
            browser.waitForText(By.cssSelector("main .notice"), "WhatsApp logged out.");
            browser.waitForText(By.id("evolution-state"), "Disconnected");
            assertThat(fake.findAll(deleteRequestedFor(urlPathEqualTo("/instance/logout/" + instance)))).hasSize(1);
        }
    }

    @Test
    void anAdminAddsATelegramBotAndRegistersItsWebhookWithTelegram() {
        var tenant = tenants.create("Telegram Admin Co");
        String token = Channels.telegramToken(tenant);
        fake.stubFor(post(urlPathEqualTo("/bot" + token + "/setWebhook")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true,\"result\":true,\"description\":\"Webhook was set\"}")));
        try (Browser browser = Browser.open(api.baseUrl(), "pt-BR")) {
            browser.signIn(tenant.admin().email(), Tenants.PASSWORD, "pt-BR");
            browser.visit("/admin/channels");
            new Select(browser.find(By.id("new-channel-type"))).selectByValue("telegram");
            browser.click(By.id("choose-channel-type"));
            browser.type(By.id("name"), "Bot da loja");
            browser.type(By.id("secret-bot_token"), token);
            browser.type(By.id("secret-webhook_secret"), "segredo_do_webhook-1");
            browser.click(By.id("save-channel"));
            browser.waitForText(By.id("telegram-webhook"), "Webhook do Telegram");
            browser.click(By.id("telegram-register"));
            browser.waitForText(By.cssSelector("main .notice"), "O Telegram vai enviar as mensagens do bot para cá.");

            var stored = tenant.scoped(() -> accounts.list()).get(0);
            assertThat(stored.type()).isEqualTo(ChannelType.TELEGRAM);
            JsonNode setWebhook = json.readTree(fake.findAll(postRequestedFor(urlPathEqualTo("/bot" + token + "/setWebhook"))).get(0)
                    .getBodyAsString());
            assertThat(setWebhook.get("url").asString()).isEqualTo(api.baseUrl() + "/webhooks/telegram/" + stored.id());
            assertThat(setWebhook.get("secret_token").asString()).isEqualTo("segredo_do_webhook-1");
        }
    }

    @Test
    void anAgentSendsAnApprovedTemplateFromTheReplyBoxOnceTheWindowClosed() {
        var tenant = tenants.create("Template Inbox Co");
        UUID account = io.switchboard.support.TemplateFakes.metaAccountWithTemplates(channels, fake, tenant);
        UUID conversation = io.switchboard.support.TemplateFakes.conversationTwoDaysOld(channels, api, jdbc, tenant, account);
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(tenant.agent().email(), Tenants.PASSWORD);
            browser.visit("/inbox/conversations/" + conversation);
            browser.waitForText(By.id("window-closed"), "WhatsApp only delivers an approved template now");
            // the only approved template is open already; its body shows where the variables go
            browser.waitForText(By.cssSelector("details[data-template='pedido_enviado'] .template-body"), "Olá {{1}}, seu pedido {{2}}");
            browser.type(By.id("template-0-var-1"), "Maria");
            browser.type(By.id("template-0-var-2"), "4521");
            browser.click(By.cssSelector("details[data-template='pedido_enviado'] .send-template"));
            browser.waitForText(By.id("conversation-pane"), "Olá Maria, seu pedido 4521 saiu para entrega.");
        }
        var toMeta = postRequestedFor(urlPathMatching(Channels.metaMessagesPathPattern(Channels.metaPhoneNumberId(tenant))));
        await().atMost(Duration.ofSeconds(15)).until(() -> !fake.findAll(toMeta).isEmpty());
        JsonNode payload = json.readTree(fake.findAll(toMeta).get(0).getBodyAsString());
        assertThat(payload.get("type").asString()).isEqualTo("template");
        assertThat(payload.get("template").get("components").get(0).get("parameters").get(1).get("text").asString()).isEqualTo("4521");
    }

    private ApiClient.Response evolutionEvent(UUID account, String body) {
        return api.postRaw("/webhooks/evolution/" + account, "application/json", body.getBytes(StandardCharsets.UTF_8),
                Map.of("X-Webhook-Secret", Channels.EVOLUTION_SECRET));
    }
}
