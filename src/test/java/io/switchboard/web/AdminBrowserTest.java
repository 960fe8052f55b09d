package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.ai.AgentSettings;
import io.switchboard.ai.AgentTool;
import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgents;
import io.switchboard.channel.ChannelAccount;
import io.switchboard.channel.ChannelAccounts;
import io.switchboard.channel.ChannelType;
import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/** An administrator configures AI agents and channels in a real browser; what is stored is read back through the services. */
@IntegrationTest
class AdminBrowserTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    AiAgents agents;

    @Autowired
    ChannelAccounts channelAccounts;

    @Test
    void anAdminCreatesAnAiAgentWithTwoFaqEntriesAndOneToolAndItIsListedAndStored() {
        var tenant = tenants.create("Agent Form Co");
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(tenant.admin().email(), Tenants.PASSWORD);
            browser.click(By.id("nav-admin-ai-agents"));
            browser.waitForText(By.tagName("main"), "No AI agents yet");
            browser.click(By.id("new-agent"));

            browser.type(By.id("name"), "Bia");
            browser.type(By.id("description"), "Atende o suporte da loja");
            new Select(browser.find(By.id("agent_type"))).selectByValue("CS");
            browser.type(By.id("prompt"), "Você é a Bia, da Loja Exemplo. Seja breve e gentil.");
            replace(browser, By.id("temperature"), "0,4");
            replace(browser, By.id("max_tokens"), "600");
            replace(browser, By.id("max_conversations"), "15");
            replace(browser, By.id("settings-response_delay_min"), "2");
            replace(browser, By.id("settings-response_delay_max"), "6");
            browser.type(By.id("settings-welcome_message"), "Oi! Sou a Bia. Como posso ajudar?");
            browser.click(By.id("settings-escalation-negative_sentiment_enabled"));
            replace(browser, By.id("settings-escalation-max_customer_messages"), "12");

            faqRow(browser, 0, "Qual o horário de funcionamento?", "De segunda a sexta, das 9h às 18h.");
            browser.click(By.id("add-faq"));
            faqRow(browser, 1, "Vocês entregam no sábado?", "Sim, em São Paulo capital.");
            browser.click(By.id("tool-adicionar_tag"));
            assertThat(browser.text(By.cssSelector("label:has(#tool-adicionar_tag) .tool-description"))).isNotBlank();

            browser.click(By.id("save-agent"));
            browser.waitForText(By.cssSelector("main .notice"), "AI agent Bia created.");
            WebElement row = browser.find(By.cssSelector("#ai-agents tbody tr"));
            assertThat(row.getText()).contains("Bia").contains("CS").contains("gpt-4o-mini").contains("Enabled");
            assertThat(row.findElement(By.cssSelector(".tool-count")).getText()).isEqualTo("1");

            AiAgent stored = tenant.scoped(() -> agents.list()).get(0);
            assertThat(stored.name()).isEqualTo("Bia");
            assertThat(stored.description()).isEqualTo("Atende o suporte da loja");
            assertThat(stored.agentType()).isEqualTo("CS");
            assertThat(stored.temperature()).isEqualTo(0.4);
            assertThat(stored.maxTokens()).isEqualTo(600);
            assertThat(stored.maxConversations()).isEqualTo(15);
            assertThat(stored.enabled()).isTrue();
            assertThat(stored.tools()).extracting(AgentTool::slug, AgentTool::enabled)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("adicionar_tag", true));
            AgentSettings settings = stored.settings();
            assertThat(settings.faq()).containsExactly(
                    new AgentSettings.FaqEntry("Qual o horário de funcionamento?", "De segunda a sexta, das 9h às 18h."),
                    new AgentSettings.FaqEntry("Vocês entregam no sábado?", "Sim, em São Paulo capital."));
            assertThat(settings.responseDelayMin()).isEqualTo(2);
            assertThat(settings.responseDelayMax()).isEqualTo(6);
            assertThat(settings.welcomeMessage()).isEqualTo("Oi! Sou a Bia. Como posso ajudar?");
            assertThat(settings.historyLimit()).as("untouched fields keep their defaults").isEqualTo(AgentSettings.DEFAULT_HISTORY_LIMIT);
            assertThat(settings.escalation().negativeSentimentEnabled()).isFalse();
            assertThat(settings.escalation().maxCustomerMessages()).isEqualTo(12);

            // the edit form shows what was stored; a tall window fits the whole form in the screenshot
            browser.click(By.linkText("Bia"));
            assertThat(browser.find(By.id("temperature")).getDomProperty("value")).isEqualTo("0.4");
            assertThat(browser.driver.findElements(By.cssSelector("#faq-rows .faq-question")))
                    .extracting(e -> e.getDomProperty("value"))
                    .containsExactly("Qual o horário de funcionamento?", "Vocês entregam no sábado?", "");
            assertThat(browser.find(By.id("tool-adicionar_tag")).isSelected()).isTrue();
            browser.driver.manage().window().setSize(new Dimension(1280, 3400));
            browser.screenshot("admin-ai-agent");
        }
    }

    @Test
    void anInvalidTemperatureIsShownNextToTheFieldAndNothingIsStored() {
        var tenant = tenants.create("Temperature Co");
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(tenant.admin().email(), Tenants.PASSWORD);
            browser.visit("/admin/ai-agents/new");
            browser.type(By.id("name"), "Quente");
            replace(browser, By.id("temperature"), "3");
            faqRow(browser, 0, "Tem estacionamento?", "Sim, gratuito.");
            browser.click(By.id("save-agent"));

            browser.waitForText(By.id("temperature-error"), "temperature must be between 0 and 2");
            assertThat(browser.find(By.id("temperature")).getDomAttribute("aria-invalid")).isEqualTo("true");
            assertThat(browser.find(By.id("temperature")).getDomProperty("value")).as("what was typed is kept").isEqualTo("3");
            assertThat(browser.find(By.id("name")).getDomProperty("value")).isEqualTo("Quente");
            assertThat(browser.find(By.cssSelector("#faq-rows .faq-question")).getDomProperty("value")).isEqualTo("Tem estacionamento?");
            assertThat(tenant.scoped(() -> agents.list())).isEmpty();

            replace(browser, By.id("temperature"), "abc");
            browser.click(By.id("save-agent"));
            browser.waitForText(By.id("temperature-error"), "Enter a number");
        }
    }

    @Test
    void anAdminConnectsATwilioAccountSeesItsWebhookUrlAndTheSecretIsNeverEchoed() {
        var tenant = tenants.create("Twilio Form Co");
        String authToken = "tw-secret-" + java.util.UUID.randomUUID();
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(tenant.admin().email(), Tenants.PASSWORD);
            browser.click(By.id("nav-admin-channels"));
            browser.waitForText(By.tagName("main"), "No channels connected yet");
            new Select(browser.find(By.id("new-channel-type"))).selectByValue("twilio");
            browser.click(By.id("choose-channel-type"));

            browser.type(By.id("name"), "WhatsApp da loja");
            browser.type(By.id("config-account_sid"), "AC0123456789");
            browser.click(By.id("save-channel"));
            browser.waitForText(By.id("config-from-error"), "lacks");
            assertThat(browser.text(By.id("secret-auth_token-state"))).isEqualTo("Not set.");

            browser.type(By.id("config-from"), "whatsapp:+14155238886");
            browser.type(By.id("secret-auth_token"), authToken);
            browser.click(By.id("save-channel"));

            browser.waitForText(By.cssSelector("main .notice"), "Channel WhatsApp da loja connected.");
            ChannelAccount stored = tenant.scoped(() -> channelAccounts.list()).get(0);
            assertThat(stored.type()).isEqualTo(ChannelType.TWILIO);
            assertThat(stored.config()).containsEntry("account_sid", "AC0123456789").containsEntry("from", "whatsapp:+14155238886");
            assertThat(channelAccounts.secrets(stored)).containsEntry("auth_token", authToken);

            assertThat(browser.find(By.id("url-messages")).getDomProperty("value"))
                    .isEqualTo(api.baseUrl() + "/webhooks/twilio/" + stored.id());
            assertThat(browser.find(By.id("url-status_callback")).getDomProperty("value"))
                    .endsWith("/webhooks/twilio/" + stored.id() + "/status");
            assertThat(browser.find(By.id("secret-auth_token")).getDomProperty("value")).isEmpty();
            assertThat(browser.text(By.id("secret-auth_token-state"))).startsWith("Set.");
            assertThat(browser.driver.getPageSource()).doesNotContain(authToken);
            browser.driver.manage().window().setSize(new Dimension(390, 1400));
            browser.screenshot("admin-channel-phone");
            browser.driver.manage().window().setSize(new Dimension(1280, 900));

            // saving with the secret left blank keeps it
            browser.find(By.id("name")).clear();
            browser.type(By.id("name"), "WhatsApp principal");
            browser.click(By.id("save-channel"));
            browser.waitForText(By.cssSelector("main .notice"), "Channel WhatsApp principal saved.");
            assertThat(channelAccounts.secrets(tenant.scoped(() -> channelAccounts.find(stored.id()))))
                    .containsEntry("auth_token", authToken);
            assertThat(browser.driver.getPageSource()).doesNotContain(authToken);

            browser.click(By.id("nav-admin-channels"));
            WebElement row = browser.find(By.cssSelector("#channel-accounts tbody tr"));
            assertThat(row.getText()).contains("WhatsApp principal").contains("WhatsApp (Twilio)").contains("Support");
        }
    }

    @Test
    void anAgentWhoIsNotAnAdminCannotOpenTheAiAgentsPageNorSeeItInTheMenu() {
        var tenant = tenants.create("Agent Only Co");
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(tenant.agent().email(), Tenants.PASSWORD);
            assertThat(browser.driver.findElements(By.id("nav-admin-ai-agents"))).isEmpty();
            assertThat(browser.driver.findElements(By.id("nav-admin-channels"))).isEmpty();
            for (String page : List.of("/admin/ai-agents", "/admin/ai-agents/new", "/admin/channels", "/admin/llm")) {
                browser.visit(page);
                browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.tagName("body")));
                assertThat(browser.driver.findElements(By.id("agent-form"))).as(page).isEmpty();
                assertThat(browser.driver.findElements(By.id("new-agent"))).as(page).isEmpty();
                assertThat(browser.driver.findElements(By.id("new-channel"))).as(page).isEmpty();
                assertThat(browser.driver.findElements(By.id("llm-form"))).as(page).isEmpty();
            }
        }
    }

    /** Fills the n-th FAQ row (counting from 0). */
    private static void faqRow(Browser browser, int index, String question, String answer) {
        browser.waitFor(d -> d.findElements(By.cssSelector("#faq-rows .faq-question")).size() > index ? true : null);
        browser.driver.findElements(By.cssSelector("#faq-rows .faq-question")).get(index).sendKeys(question);
        browser.driver.findElements(By.cssSelector("#faq-rows .faq-answer")).get(index).sendKeys(answer);
    }

    private static void replace(Browser browser, By field, String text) {
        browser.find(field).clear();
        browser.type(field, text);
    }
}
