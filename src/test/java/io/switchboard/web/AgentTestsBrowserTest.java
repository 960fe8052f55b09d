package io.switchboard.web;

import static io.switchboard.support.AiFixtures.twilioBodies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.OrderLookupModel;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.Tenants;
import io.switchboard.support.WooCommerceFake;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An administrator replays a real conversation against a draft prompt and sees, side by side, that the draft
 * no longer looks the order up; then chats with the agent in the playground and sees its tool call and cost.
 */
@IntegrationTest
class AgentTestsBrowserTest {

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Test
    void anAdminReplaysAConversationAgainstADraftAndTriesThePlayground() {
        WireMockServer fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        OrderLookupModel.stub(fake);
        WooCommerceFake store = new WooCommerceFake(fake);
        store.stubOrder(1234, "processing", "maria@example.com", "(11) 97000-1234");
        var setup = fixtures.create("Agent Tests UI", Map.of("context_timer_seconds", 1, "response_delay_min", 0, "response_delay_max", 0),
                List.of(OrderLookupModel.ORDER_LOOKUP), true);
        assertThat(api.post("/api/v1/integrations", setup.tenant().adminToken(), Map.of("kind", "woocommerce", "name", "Loja",
                "settings", Map.of("site_url", store.siteUrl()),
                "secrets", Map.of("consumer_key", WooCommerceFake.KEY, "consumer_secret", WooCommerceFake.SECRET))).status()).isEqualTo(201);
        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), "+5511970001234", "cadê meu pedido 1234?");
        await().atMost(Duration.ofSeconds(20)).until(() -> !twilioBodies(fake, setup).isEmpty());

        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(setup.tenant().admin().email(), Tenants.PASSWORD);
            browser.click(By.id("nav-admin-agent-tests"));
            browser.waitForText(By.id("replayable"), "cadê meu pedido 1234?");
            browser.click(By.cssSelector("#replayable .replay"));
            browser.waitForText(By.cssSelector(".notice"), "created from the conversation");
            browser.waitForText(By.id("scenarios"), "Replay");

            browser.type(By.id("draft-prompt"), OrderLookupModel.LEO_PROMPT);
            browser.click(By.id("run-suite"));
            browser.waitForText(By.id("run-status"), "Failed");
            assertThat(browser.text(By.cssSelector(".side-by-side td.original .answer"))).isEqualTo(OrderLookupModel.LIA_ANSWER);
            assertThat(browser.text(By.cssSelector(".side-by-side td.now .answer"))).isEqualTo(OrderLookupModel.LEO_ANSWER);
            assertThat(browser.attribute(By.cssSelector(".side-by-side td.now .answer"), "class")).contains("differs");
            assertThat(browser.text(By.cssSelector(".side-by-side td.original .calls"))).contains("buscar_pedido_woocommerce");
            assertThat(browser.text(By.cssSelector(".checks"))).contains("Calls buscar_pedido_woocommerce", "no tool was called");
            assertThat(browser.text(By.id("run-figures"))).contains("0 of 1 scenarios passed", "US$");
            browser.screenshot("agent-tests-replay-diff");

            browser.click(By.linkText("Back to the tests"));
            browser.click(By.id("open-playground"));
            browser.click(By.cssSelector("#play-form summary"));
            browser.type(By.id("play-fixtures"), "- tool: buscar_pedido_woocommerce\n  result: {\"numero\": 1234, \"status\": \"processing\"}");
            browser.type(By.id("play-message"), "cadê meu pedido 1234?");
            browser.click(By.id("play-send"));
            browser.waitForText(By.cssSelector(".play-turn .tool-call"), "buscar_pedido_woocommerce");
            assertThat(browser.text(By.cssSelector(".play-turn .answer"))).contains(OrderLookupModel.LIA_ANSWER);
            assertThat(browser.text(By.cssSelector(".play-turn .turn-cost"))).startsWith("US$ 0.0");
            assertThat(browser.text(By.cssSelector(".play-turn .figures"))).contains("950 tokens");
            browser.screenshot("agent-tests-playground");

            browser.type(By.id("scenario-name"), "Pedido pelo playground");
            browser.click(By.id("save-scenario"));
            browser.waitForText(By.cssSelector(".notice"), "Pedido pelo playground");
        }
        assertThat(twilioBodies(fake, setup)).as("nothing of the tests reached the customer").hasSize(1);
    }
}
