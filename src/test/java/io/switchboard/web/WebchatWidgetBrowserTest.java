package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The web chat widget on {@code /demo}, in a real Chromium: the demo workspace's AI agent greets the
 * visitor, answers from its FAQ (no LLM key needed) with the reply pushed over SSE, and a reload finds the
 * same conversation.
 */
@IntegrationTest
class WebchatWidgetBrowserTest {

    @Autowired
    ApiClient api;

    @Test
    void aVisitorOnTheDemoPageIsGreetedGetsAnAnswerPushedAndFindsTheConversationAfterAReload() {
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.visit("/demo");
            browser.click(By.id("switchboard-chat-button"));
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-other"), "Lia");

            browser.type(By.cssSelector("#switchboard-chat input[name=text]"), "Quanto custa o frete?");
            browser.click(By.cssSelector("#switchboard-chat button[type=submit]"));
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-contact"), "Quanto custa o frete?");
            browser.waitForTextLonger(By.cssSelector("#switchboard-chat .sbw-other"), "frete é grátis");
            browser.screenshot("webchat-demo");

            browser.visit("/demo");
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-contact"), "Quanto custa o frete?");
            assertThat(browser.text(By.id("switchboard-chat"))).contains("frete é grátis");
        }
    }

    @Test
    void aVisitorWithAnEnglishBrowserGetsTheWidgetAndTheHandoffInEnglishWithWhoWroteWhatAndWhen() {
        try (Browser browser = Browser.open(api.baseUrl(), "en-US")) {
            browser.visit("/demo");
            browser.click(By.id("switchboard-chat-button"));
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-ai"), "Virtual assistant");
            assertThat(browser.find(By.cssSelector("#switchboard-chat input[name=text]")).getDomAttribute("placeholder"))
                    .isEqualTo("Type your message…");
            assertThat(browser.text(By.cssSelector("#switchboard-chat button[type=submit]"))).isEqualTo("Send");

            browser.type(By.cssSelector("#switchboard-chat input[name=text]"), "I want to talk to a human please");
            browser.click(By.cssSelector("#switchboard-chat button[type=submit]"));
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-contact"), "You");
            browser.waitForTextLonger(By.cssSelector("#switchboard-chat .sbw-system"), "handing you over to a person");
            assertThat(browser.text(By.cssSelector("#switchboard-chat .sbw-contact .sbw-time")))
                    .as("a time on each message").matches(".*\\d{1,2}:\\d{2}.*");
            assertThat(browser.text(By.id("switchboard-chat"))).doesNotContain("Vou transferir");
        }
    }
}
