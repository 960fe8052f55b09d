package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.conversation.ChannelOrigin;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Inbox;
import io.switchboard.conversation.InboundMessage;
import io.switchboard.conversation.Message;
import io.switchboard.conversation.QueueTab;
import io.switchboard.conversation.SenderType;
import io.switchboard.database.TenantScope;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** An agent working the inbox in a real browser, with data made by the real conversation services. */
@IntegrationTest
class InboxBrowserTest {

    @Autowired
    Channels channels;

    WireMockServer fake;

    @BeforeEach
    void twilioFake() {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
    }

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Conversations conversations;

    @Autowired
    Inbox inbox;

    @Autowired
    JdbcClient jdbc;

    /** A tenant with a WhatsApp (Twilio) account whose conversations an AI agent answers. */
    record Workspace(Tenants.Tenant tenant, UUID channelAccountId, UUID aiAgentId) {
    }

    Workspace workspace(String name) {
        Tenants.Tenant tenant = tenants.create(name);
        // the AI waits an hour before answering, so these tests see only what people do
        UUID aiAgent = TenantScope.call(tenant.id(), () -> jdbc.sql(
                        "insert into ai_agents (organization_id, name, settings) values (?, 'Bia', '{\"context_timer_seconds\": 3600}') returning id")
                .param(tenant.id()).query(UUID.class).single());
        // a real Twilio account, delivering to the WireMock fake of Twilio's API
        return new Workspace(tenant, channels.twilioAccount(tenant, aiAgent), aiAgent);
    }

    Conversation customerWrites(Workspace workspace, String phone, String name, String text) {
        InboundMessage inbound = new InboundMessage(workspace.tenant().id(),
                new ChannelOrigin(workspace.channelAccountId(), "twilio", QueueTab.SUPPORT, true, workspace.aiAgentId()),
                phone, name, phone, "SM" + UUID.randomUUID(), text, "text", null, null, null);
        return TenantScope.call(workspace.tenant().id(), () -> conversations.ingest(inbound).conversation());
    }

    @Test
    void aCustomerMessageAppearsInTheOpenInboxWithoutAReload() {
        Workspace workspace = workspace("Live Inbox Co");
        customerWrites(workspace, "+5511900000001", "Ana Souza", "Bom dia! Vocês abrem sábado?");
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(workspace.tenant().agent().email(), Tenants.PASSWORD);
            browser.find(By.id("inbox-list"));
            browser.waitForLiveStream();
            browser.markDocument();
            assertThat(browser.text(By.cssSelector("#tab-OPEN .count"))).isEqualTo("1");

            customerWrites(workspace, "+5511900000002", "Maria Silva", "Meu pedido 1234 não chegou");

            browser.waitForText(By.cssSelector("#inbox-list .row"), "Maria Silva");
            browser.waitForText(By.cssSelector("#tab-OPEN .count"), "2");
            assertThat(browser.text(By.id("inbox-list"))).contains("Meu pedido 1234 não chegou");
            assertThat(browser.documentWasKept()).as("the page was updated in place, not reloaded").isTrue();
            browser.screenshot("inbox");
        }
    }

    @Test
    void anAgentTakesOverAndRepliesAndTheReplyIsStoredAsTheirMessage() {
        Workspace workspace = workspace("Reply Co");
        Conversation conversation = customerWrites(workspace, "+5511900000003", "João Lima", "Quero trocar o tamanho");
        var agent = workspace.tenant().agent();
        TenantScope.run(workspace.tenant().id(), () -> {
            Message greeting = conversations.postOutbound(conversation.id(), SenderType.AI_AGENT, null, workspace.aiAgentId(),
                    "Oi João! Sou a Bia. Qual é o número do pedido?", null, null, false);
            conversations.advanceDelivery(greeting.id(), io.switchboard.conversation.MessageStatus.READ, "SM-greeting", null, null);
            Message late = conversations.postOutbound(conversation.id(), SenderType.AI_AGENT, null, workspace.aiAgentId(),
                    "Encontrei seu pedido!", null, java.time.Instant.now().plusSeconds(60), false);
            conversations.discardScheduled(late.id(), "a person took over");
        });
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(agent.email(), Tenants.PASSWORD);
            browser.click(By.cssSelector("[data-conversation-id='" + conversation.id() + "'] a"));
            browser.waitForText(By.id("ai-state"), "AI active (Bia)");

            browser.click(By.id("take-over"));
            browser.waitForText(By.id("ai-state"), "A person is answering");
            assertThat(browser.text(By.id("assignee"))).contains(agent.name());

            browser.click(By.id("send-reply"));
            assertThat(browser.text(By.id("reply-error"))).isEqualTo("Write something before sending.");

            browser.type(By.id("reply-text"), "Claro! Qual tamanho você prefere?");
            browser.click(By.id("send-reply"));
            browser.waitForText(By.cssSelector(".message.from-agent"), "Claro! Qual tamanho você prefere?");
            assertThat(browser.text(By.cssSelector(".message.from-agent"))).contains("AGENT").contains(agent.name()).containsAnyOf("Queued", "Sending", "Sent");
            assertThat(browser.driver.findElements(By.id("reply-error"))).isEmpty();
            assertThat(browser.text(By.cssSelector(".message.from-ai_agent"))).contains("Bia").contains("Read");
            assertThat(browser.text(By.cssSelector(".message.discarded del"))).isEqualTo("Encontrei seu pedido!");

            browser.click(By.cssSelector("details.more summary"));
            browser.type(By.id("note-text"), "Cliente VIP, priorizar a troca.");
            browser.click(By.cssSelector("#note-form button"));
            browser.waitForText(By.cssSelector(".message.from-note"), "Cliente VIP, priorizar a troca.");
            assertThat(browser.text(By.cssSelector(".message.from-note"))).contains("PRIVATE NOTE");
            browser.click(By.cssSelector("details.more summary"));
            browser.type(By.id("tag-name"), "troca");
            browser.click(By.cssSelector("#tag-form button"));
            browser.waitForText(By.id("conversation-tags"), "troca");
            browser.screenshot("conversation");
        }
        List<Message> stored = TenantScope.call(workspace.tenant().id(), () -> inbox.messages(conversation.id()));
        Message reply = stored.stream().filter(m -> m.content().startsWith("Claro!")).findFirst().orElseThrow();
        assertThat(reply.senderType()).isEqualTo(SenderType.AGENT);
        assertThat(reply.senderId()).isEqualTo(agent.id());
        assertThat(reply.privateNote()).isFalse();
        assertThat(reply.status()).isIn(io.switchboard.conversation.MessageStatus.QUEUED, io.switchboard.conversation.MessageStatus.SENDING, io.switchboard.conversation.MessageStatus.SENT);
        await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> AiFixtures.twilioBodies(fake).contains("Claro! Qual tamanho você prefere?"));
        Message note = stored.get(stored.size() - 1);
        assertThat(note.privateNote()).as("the note stays inside the team").isTrue();
        assertThat(note.content()).isEqualTo("Cliente VIP, priorizar a troca.");
        assertThat(TenantScope.call(workspace.tenant().id(), () -> conversations.find(conversation.id()).agentId()))
                .isEqualTo(agent.id());
    }

    @Test
    void aConversationHandedOffAfterAnAiFailureWaitsInTheSupportQueueAndAPersonGivesItBackToTheAi() {
        Workspace workspace = workspace("Fallback Co");
        Conversation conversation = customerWrites(workspace, "+5511900000004", "Carla Dias", "Preciso de ajuda urgente");
        TenantScope.run(workspace.tenant().id(), () -> {
            conversations.postOutbound(conversation.id(), SenderType.SYSTEM, null, null,
                    "Desculpe, tivemos um problema. Um atendente vai continuar com você.",
                    "{\"is_error_fallback\": true}", null, false);
            conversations.handOffToQueue(conversation.id(), "AI failure: timeout", true, null);
        });
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(workspace.tenant().agent().email(), Tenants.PASSWORD);
            browser.visit("/inbox?tab=WAITING_SUPPORT");
            By row = By.cssSelector("[data-conversation-id='" + conversation.id() + "']");
            assertThat(browser.find(row).getDomAttribute("class")).contains("attention");
            assertThat(browser.text(row)).contains("Carla Dias").contains("AI failure: timeout").contains("Needs a person");
            assertThat(browser.text(By.cssSelector("#tab-WAITING_SUPPORT .count"))).isEqualTo("1");
            assertThat(browser.text(By.cssSelector("#tab-WAITING_WHATSAPP .count"))).isEqualTo("0");
            browser.screenshot("inbox-waiting");

            browser.click(By.cssSelector("[data-conversation-id='" + conversation.id() + "'] a"));
            browser.waitForText(By.id("ai-state"), "AI paused");
            assertThat(browser.text(By.id("ai-state"))).contains("AI failure: timeout").contains("since");
            assertThat(browser.text(By.cssSelector(".message.fallback")))
                    .contains("Fallback after an AI failure").contains("Desculpe, tivemos um problema");

            browser.click(By.id("reactivate-ai"));
            browser.waitForText(By.id("ai-state"), "AI active (Bia)");
            assertThat(browser.driver.findElements(By.id("reactivate-ai"))).isEmpty();
            browser.waitForText(By.id("events"), "AI reactivated");

            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            Object overflow = browser.driver.executeScript(
                    "return document.documentElement.scrollWidth > window.innerWidth;");
            assertThat(overflow).as("nothing sticks out sideways on a phone").isEqualTo(false);
            assertThat(browser.find(By.id("reply-text")).isDisplayed()).isTrue();
            browser.screenshot("conversation-phone");
        }
        Conversation after = TenantScope.call(workspace.tenant().id(), () -> conversations.find(conversation.id()));
        assertThat(after.aiDisabled()).isFalse();
        assertThat(after.requiresHumanAttention()).isFalse();
    }

    @Test
    void twoPeopleLookingAtTheSameConversationBothSeeANewMessageLive() {
        Workspace workspace = workspace("Two Windows Co");
        Conversation conversation = customerWrites(workspace, "+5511900000005", "Paulo Reis", "Oi");
        String path = "/inbox/conversations/" + conversation.id();
        try (Browser admin = Browser.open(api.baseUrl()); Browser agent = Browser.open(api.baseUrl())) {
            admin.signIn(workspace.tenant().admin().email(), Tenants.PASSWORD);
            agent.signIn(workspace.tenant().agent().email(), Tenants.PASSWORD);
            admin.visit(path);
            agent.visit("/inbox");
            admin.waitForLiveStream();
            agent.waitForLiveStream();
            admin.driver.executeScript("document.querySelector('#messages .message').__kept = true;");

            customerWrites(workspace, "+5511900000005", "Paulo Reis", "Alguém aí? Ainda preciso da segunda via do boleto");

            admin.waitForText(By.cssSelector(".message.from-contact"), "segunda via do boleto");
            assertThat(admin.driver.executeScript("return document.querySelector('#messages .message').__kept === true;"))
                    .as("the messages already shown were left in place, only the new one was added").isEqualTo(true);
            assertThat(admin.driver.executeScript(
                    "var all = document.querySelectorAll('#messages .message'); return all[all.length - 1].textContent;").toString())
                    .as("added at the end, newest last").contains("segunda via do boleto");
            agent.waitForText(By.cssSelector("[data-conversation-id='" + conversation.id() + "']"), "segunda via do boleto");

            // and an agent's reply in one window shows up in the other
            agent.visit(path);
            agent.type(By.id("reply-text"), "Enviando agora mesmo.");
            agent.click(By.id("send-reply"));
            admin.waitForText(By.cssSelector(".message.from-agent"), "Enviando agora mesmo.");
            admin.waitForText(By.id("assignee"), workspace.tenant().agent().name());
        }
    }

    @Test
    void aLongConversationOpensOnItsNewestMessagesAndLoadsOlderOnesWhenScrolledUp() {
        Workspace workspace = workspace("Long Thread Co");
        Conversation conversation = customerWrites(workspace, "+5511900000006", "Rita Alves", "a mais nova");
        TenantScope.run(workspace.tenant().id(), () -> jdbc.sql("""
                        insert into messages (organization_id, conversation_id, channel_account_id, direction, sender_type,
                                              content, created_at)
                        select organization_id, id, channel_account_id, 'inbound', 'contact', 'antiga ' || i,
                               now() - interval '1 day' + i * interval '1 second'
                        from conversations, generate_series(1, 120) i where id = ?""")
                .param(conversation.id()).update());
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(workspace.tenant().agent().email(), Tenants.PASSWORD);
            browser.visit("/inbox/conversations/" + conversation.id());
            browser.waitForText(By.id("messages"), "a mais nova");
            assertThat(browser.driver.findElements(By.cssSelector("#messages .message"))).hasSize(50);
            assertThat(browser.driver.executeScript("""
                    var list = document.getElementById('messages');
                    var rect = list.lastElementChild.getBoundingClientRect(), box = list.getBoundingClientRect();
                    return rect.bottom <= box.bottom + 1 && rect.top >= box.top - 1;""")).as("the newest message is in view")
                    .isEqualTo(true);

            browser.driver.executeScript("document.getElementById('messages').scrollTop = 0;");
            browser.waitFor(d -> d.findElements(By.cssSelector("#messages .message")).size() == 100 ? true : null);
            browser.driver.executeScript("document.getElementById('messages').scrollTop = 0;");
            browser.waitFor(d -> d.findElements(By.cssSelector("#messages .message")).size() == 121 ? true : null);
            assertThat(browser.text(By.cssSelector("#messages .message"))).contains("antiga 1");
            assertThat(browser.driver.findElements(By.id("older-messages"))).as("nothing older left").isEmpty();
        }
    }

    @Test
    void anAgentSeesNoAdminMenuAndCannotOpenTheAdminPages() {
        Workspace workspace = workspace("Agent Only Co");
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(workspace.tenant().agent().email(), Tenants.PASSWORD);
            browser.find(By.id("inbox-list"));
            assertThat(browser.driver.findElements(By.id("nav-admin-users"))).isEmpty();
            assertThat(browser.text(By.cssSelector("#inbox-list .empty"))).contains("Nothing here right now");
            browser.visit("/admin/users");
            assertThat(browser.driver.findElements(By.id("new-user"))).isEmpty();
        }
    }

    @Test
    void anAdminCreatesAUserAfterFixingTheErrorsShownNextToTheFields() {
        Workspace workspace = workspace("Admin Co");
        String email = "new-agent-" + UUID.randomUUID().toString().substring(0, 6) + "@example.test";
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(workspace.tenant().admin().email(), Tenants.PASSWORD);
            browser.click(By.id("nav-admin-users"));
            browser.find(By.id("new-user"));

            browser.type(By.id("new-email"), "not-an-email");
            browser.type(By.id("new-name"), "Rita Campos");
            browser.type(By.id("new-password"), "short");
            browser.click(By.id("create-user"));
            assertThat(browser.text(By.id("email-error"))).isEqualTo("Enter a valid e-mail address.");
            assertThat(browser.text(By.id("password-error"))).isEqualTo("The password needs at least 8 characters.");
            assertThat(browser.find(By.id("new-name")).getDomProperty("value")).isEqualTo("Rita Campos");
            browser.screenshot("admin-users");

            browser.find(By.id("new-email")).clear();
            browser.type(By.id("new-email"), email);
            browser.type(By.id("new-password"), "long enough pass");
            browser.click(By.id("create-user"));
            browser.waitForText(By.id("users"), email);
            browser.waitFor(ExpectedConditions.invisibilityOfElementLocated(By.id("email-error")));
            assertThat(browser.text(By.cssSelector("[data-email='" + email + "']"))).contains("Rita Campos");
        }
    }
}
