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
import io.switchboard.ai.llm.FailureReason;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
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
            String list = browser.text(By.id("inbox-list"));
            assertThat(list).contains("Meu pedido 1234 não chegou").contains("WhatsApp (Twilio)").doesNotContain("twilio");
            assertThat(browser.documentWasKept()).as("the page was updated in place, not reloaded").isTrue();
            browser.screenshot("inbox");
        }
    }

    @Test
    void anAgentOpensAConversationBesideTheListTakesItOverAndRepliesWithEnter() {
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
            browser.markDocument();
            browser.click(By.cssSelector("[data-conversation-id='" + conversation.id() + "'] .row-link"));
            browser.waitForText(By.id("ai-state"), "AI active (Bia)");
            assertThat(browser.find(By.id("inbox-list")).isDisplayed()).as("the list stays beside the thread").isTrue();
            assertThat(browser.find(By.id("conversation-side")).getText()).contains("WhatsApp (Twilio)");
            assertThat(browser.driver.getCurrentUrl()).endsWith("/inbox/conversations/" + conversation.id());

            browser.click(By.id("take-over"));
            browser.waitForText(By.id("notice"), "The conversation is yours");
            browser.waitForText(By.id("ai-state"), "A person is answering");
            assertThat(browser.text(By.id("assignee"))).contains(agent.name());
            assertThat(browser.driver.findElements(By.id("take-over"))).isEmpty();

            browser.find(By.id("reply-text")).sendKeys(Keys.ENTER);
            browser.waitForText(By.id("reply-error"), "Write something before sending.");

            browser.type(By.id("reply-text"), "Claro! Qual tamanho você prefere?");
            browser.find(By.id("reply-text")).sendKeys(Keys.ENTER);
            browser.waitForText(By.cssSelector(".message.from-agent"), "Claro! Qual tamanho você prefere?");
            assertThat(browser.text(By.cssSelector(".message.from-agent"))).contains("AGENT").contains(agent.name())
                    .containsAnyOf("Queued", "Sending", "Sent");
            assertThat(browser.driver.findElements(By.id("reply-error"))).isEmpty();
            assertThat(browser.find(By.id("reply-text")).getDomProperty("value")).as("the box is empty for the next one").isEmpty();
            assertThat(browser.text(By.cssSelector(".message.from-ai_agent"))).contains("Bia").contains("Read");
            assertThat(browser.text(By.cssSelector(".message.discarded del"))).isEqualTo("Encontrei seu pedido!");

            browser.click(By.id("mode-note"));
            browser.type(By.id("note-text"), "Cliente VIP, priorizar a troca.");
            browser.find(By.id("note-text")).sendKeys(Keys.ENTER);
            browser.waitForText(By.cssSelector(".message.from-note"), "Cliente VIP, priorizar a troca.");
            assertThat(browser.text(By.cssSelector(".message.from-note"))).contains("PRIVATE NOTE");

            browser.type(By.id("tag-name"), "Troca");
            browser.click(By.cssSelector("#tag-form button"));
            browser.waitForText(By.id("notice"), "Tag “Troca” added.");
            browser.type(By.id("tag-name"), "troca");
            browser.click(By.cssSelector("#tag-form button"));
            browser.waitForText(By.id("notice"), "Tag “troca” added.");
            assertThat(browser.driver.findElements(By.cssSelector("#conversation-tags li"))).as("one tag whatever the case").hasSize(1);
            browser.screenshot("conversation");
            browser.click(By.cssSelector("#conversation-tags .tag-remove"));
            browser.waitForText(By.id("notice"), "removed");
            assertThat(browser.driver.findElements(By.cssSelector("#conversation-tags li"))).isEmpty();
            assertThat(browser.documentWasKept()).as("every step swapped the conversation pane, no page load").isTrue();
        }
        List<Message> stored = TenantScope.call(workspace.tenant().id(), () -> inbox.messages(conversation.id()));
        Message reply = stored.stream().filter(m -> m.content().startsWith("Claro!")).findFirst().orElseThrow();
        assertThat(reply.senderType()).isEqualTo(SenderType.AGENT);
        assertThat(reply.senderId()).isEqualTo(agent.id());
        assertThat(reply.privateNote()).isFalse();
        await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> AiFixtures.twilioBodies(fake).contains("Claro! Qual tamanho você prefere?"));
        Message note = stored.get(stored.size() - 1);
        assertThat(note.privateNote()).as("the note stays inside the team").isTrue();
        assertThat(note.content()).isEqualTo("Cliente VIP, priorizar a troca.");
        assertThat(stored.stream().filter(m -> m.senderType() == SenderType.AGENT && !m.privateNote()).count())
                .as("the empty Enter sent nothing").isEqualTo(1);
    }

    @Test
    void aConversationHandedOffAfterAnAiFailureShowsWhyInPortugueseAndAPersonGivesItBackToTheAi() {
        Workspace workspace = workspace("Fallback Co");
        Conversation conversation = customerWrites(workspace, "+5511900000004", "Carla Dias", "Preciso de ajuda urgente");
        String failure = "AI failure: " + FailureReason.PROVIDER_UNAVAILABLE.describe()
                + " (java.net.ConnectException: Connection refused: java.net.ConnectException: Connection refused)";
        TenantScope.run(workspace.tenant().id(), () -> {
            conversations.postOutbound(conversation.id(), SenderType.SYSTEM, null, null,
                    "Desculpe, tivemos um problema. Um atendente vai continuar com você.",
                    "{\"is_error_fallback\": true}", null, false);
            conversations.handOffToQueue(conversation.id(), failure, true, null);
        });
        try (Browser browser = Browser.open(api.baseUrl(), "pt-BR")) {
            browser.signIn(workspace.tenant().agent().email(), Tenants.PASSWORD, "pt-BR");
            browser.visit("/inbox?tab=WAITING_SUPPORT");
            By row = By.cssSelector("[data-conversation-id='" + conversation.id() + "']");
            assertThat(browser.attribute(row, "class")).contains("attention");
            assertThat(browser.text(row)).contains("Carla Dias").contains("Preciso de ajuda urgente")
                    .contains("Não foi possível falar com o provedor de IA.").contains("Precisa de atendente")
                    .as("the customer's words, not the handoff text; no exception").doesNotContain("Desculpe")
                    .doesNotContain("ConnectException").doesNotContain("AI failure");
            assertThat(browser.text(By.cssSelector("#tab-WAITING_SUPPORT .count"))).isEqualTo("1");
            browser.screenshot("inbox-waiting");

            browser.click(By.cssSelector("[data-conversation-id='" + conversation.id() + "'] .row-link"));
            browser.waitForText(By.id("ai-state"), "IA pausada");
            assertThat(browser.text(By.id("ai-state"))).contains("Não foi possível falar com o provedor de IA.").contains("desde");
            browser.click(By.cssSelector("#ai-state .technical summary"));
            assertThat(browser.text(By.cssSelector("#ai-state .technical code")))
                    .as("the technical detail once").isEqualTo("java.net.ConnectException: Connection refused");
            assertThat(browser.text(By.id("events"))).contains("A IA falhou").doesNotContain("ai_failed");
            assertThat(browser.text(By.cssSelector(".message.fallback"))).contains("Desculpe, tivemos um problema");

            browser.click(By.id("reactivate-ai"));
            browser.waitForText(By.id("ai-state"), "IA ativa (Bia)");
            browser.waitForText(By.id("notice"), "A IA volta a responder");
            assertThat(browser.driver.findElements(By.id("reactivate-ai"))).isEmpty();
            browser.waitForText(By.id("events"), "IA reativada");

            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            browser.visit("/inbox/conversations/" + conversation.id());
            Object overflow = browser.driver.executeScript(
                    "return document.documentElement.scrollWidth > window.innerWidth;");
            assertThat(overflow).as("nothing sticks out sideways on a phone").isEqualTo(false);
            assertThat(browser.find(By.id("reply-text")).isDisplayed()).isTrue();
            assertThat(browser.top(By.id("close"))).as("actions above the reply box")
                    .isLessThan(browser.top(By.id("reply-text")));
            // one pane at a time: the list is hidden while the conversation shows
            browser.waitFor(d -> d.findElement(By.id("inbox-list")).isDisplayed() ? null : Boolean.TRUE);
            browser.screenshot("conversation-phone");
            browser.click(By.cssSelector(".details-toggle"));
            browser.waitForText(By.id("conversation-side"), "Contato");
            browser.click(By.cssSelector("#conversation-side [data-show-pane=thread]"));
            browser.find(By.id("reply-text"));
            browser.visit("/inbox");
            browser.find(By.id("inbox-list"));
            browser.screenshot("inbox-phone");
        }
        Conversation after = TenantScope.call(workspace.tenant().id(), () -> conversations.find(conversation.id()));
        assertThat(after.aiDisabled()).isFalse();
        assertThat(after.requiresHumanAttention()).isFalse();
    }

    @Test
    void twoPeopleLookingAtTheSameConversationBothSeeANewMessageLiveAndEachOther() {
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

            // the other person opening it shows up, and their reply too
            agent.visit(path);
            agent.waitForLiveStream();
            admin.waitForText(By.id("presence"), workspace.tenant().agent().name() + " is viewing this conversation");
            agent.type(By.id("reply-text"), "Enviando agora mesmo.");
            admin.waitForText(By.id("presence"), "is typing");
            agent.click(By.id("send-reply"));
            admin.waitForText(By.cssSelector(".message.from-agent"), "Enviando agora mesmo.");
            admin.waitForText(By.id("assignee"), workspace.tenant().agent().name());
        }
    }

    @Test
    void aLongConversationOpensWithTheNewestMessageAndTheReplyBoxInViewAndLoadsOlderOnesWhenScrolledUp() {
        Workspace workspace = workspace("Long Thread Co");
        Conversation conversation = customerWrites(workspace, "+5511900000006", "Rita Alves", "a mais nova");
        TenantScope.run(workspace.tenant().id(), () -> jdbc.sql("""
                        insert into messages (organization_id, conversation_id, channel_account_id, direction, sender_type,
                                              content, created_at)
                        select organization_id, id, channel_account_id, 'inbound', 'contact', 'antiga ' || i,
                               now() - interval '1 day' + i * interval '1 second'
                        from conversations, generate_series(1, 120) i where id = ?""")
                .param(conversation.id()).update());
        for (String language : List.of("pt-BR", "en")) {
            try (Browser browser = Browser.open(api.baseUrl(), language)) {
                browser.signIn(workspace.tenant().agent().email(), Tenants.PASSWORD, language);
                browser.visit("/inbox/conversations/" + conversation.id());
                browser.waitForText(By.id("messages"), "a mais nova");
                assertThat(browser.driver.findElements(By.cssSelector("#messages .message"))).hasSize(50);
                assertThat(browser.driver.executeScript("""
                        var list = document.getElementById('messages');
                        var rect = list.lastElementChild.getBoundingClientRect(), box = list.getBoundingClientRect();
                        var reply = document.getElementById('reply-text').getBoundingClientRect();
                        return rect.bottom <= box.bottom + 1 && rect.top >= box.top - 1 && rect.bottom <= window.innerHeight
                            && reply.bottom <= window.innerHeight && reply.top >= 0
                            && document.scrollingElement.scrollTop === 0;""")).as("newest message and reply box in view, nothing scrolled")
                        .isEqualTo(true);
                assertThat(browser.find(By.id("send-reply")).getText()).isEqualTo(language.equals("en") ? "Send" : "Enviar");

                browser.driver.executeScript("document.getElementById('messages').scrollTop = 0;");
                browser.waitFor(d -> d.findElements(By.cssSelector("#messages .message")).size() == 100 ? true : null);
                browser.driver.executeScript("document.getElementById('messages').scrollTop = 0;");
                browser.waitFor(d -> d.findElements(By.cssSelector("#messages .message")).size() == 121 ? true : null);
                assertThat(browser.text(By.cssSelector("#messages .message"))).contains("antiga 1");
                assertThat(browser.driver.findElements(By.id("older-messages"))).as("nothing older left").isEmpty();
                assertThat(browser.driver.findElements(By.cssSelector("#messages .message.continued")))
                        .as("one sender's run is grouped under one name").hasSizeGreaterThan(100);
            }
        }
    }

    @Test
    void aNewCustomerMessageInAnotherConversationMarksItsRowUnreadAndRaisesANotification() {
        Workspace workspace = workspace("Unread Co");
        Conversation mine = customerWrites(workspace, "+5511900000007", "Lia Prado", "Oi, tudo bem?");
        Conversation other = customerWrites(workspace, "+5511900000008", "Davi Rocha", "Bom dia");
        var agent = workspace.tenant().agent();
        TenantScope.run(workspace.tenant().id(), () -> {
            conversations.assignToHuman(mine.id(), agent.id(), agent.id());
            conversations.assignToHuman(other.id(), agent.id(), agent.id());
        });
        for (String language : List.of("pt-BR", "en")) {
            try (Browser browser = Browser.open(api.baseUrl(), language)) {
                browser.signIn(agent.email(), Tenants.PASSWORD, language);
                browser.visit("/inbox/conversations/" + other.id());
                browser.visit("/inbox/conversations/" + mine.id());
                browser.waitForLiveStream();
                browser.driver.executeScript("""
                        window.__notifications = [];
                        window.Notification = function (title, options) { window.__notifications.push(title + ' | ' + options.body); };
                        window.Notification.permission = 'granted';""");
                By otherRow = By.cssSelector("[data-conversation-id='" + other.id() + "']");
                assertThat(browser.attribute(otherRow, "class")).doesNotContain("unread");

                customerWrites(workspace, "+5511900000008", "Davi Rocha", "Vocês entregam no sábado? " + language);

                browser.waitFor(d -> d.findElement(otherRow).getDomAttribute("class").contains("unread") ? true : null);
                assertThat(browser.text(By.cssSelector("[data-conversation-id='" + other.id() + "'] .unread-count"))).isEqualTo("1");
                assertThat(browser.text(otherRow)).contains("Vocês entregam no sábado? " + language);
                String notification = browser.waitFor(d -> {
                    Object all = ((org.openqa.selenium.JavascriptExecutor) d).executeScript("return window.__notifications.join('\\n');");
                    return all != null && !all.toString().isEmpty() ? all.toString() : null;
                });
                assertThat(notification).contains(language.equals("en") ? "New message from Davi Rocha" : "Nova mensagem de Davi Rocha")
                        .contains("Vocês entregam no sábado?");
                assertThat(browser.driver.getTitle()).as("the count in the tab's title").startsWith("(1) ");
                // opening it marks it read
                browser.click(By.cssSelector("[data-conversation-id='" + other.id() + "'] .row-link"));
                browser.waitForText(By.id("messages"), "Vocês entregam no sábado? " + language);
                browser.waitFor(d -> d.findElement(otherRow).getDomAttribute("class").contains("unread") ? null : true);
            }
        }
    }

    @Test
    void anAgentFiltersByTagSavesTheViewAndClosesTwoConversationsAtOnce() {
        Workspace workspace = workspace("Filters Co");
        Conversation first = customerWrites(workspace, "+5511900000011", "Bruna Reis", "Pedido 1 atrasado");
        Conversation second = customerWrites(workspace, "+5511900000012", "Caio Lopes", "Pedido 2 atrasado");
        Conversation third = customerWrites(workspace, "+5511900000013", "Dora Melo", "Só uma dúvida");
        TenantScope.run(workspace.tenant().id(), () -> {
            conversations.addTag(first.id(), "atraso");
            conversations.addTag(second.id(), "Atraso");
        });
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(workspace.tenant().agent().email(), Tenants.PASSWORD);
            browser.find(By.id("inbox-list"));
            browser.click(By.cssSelector("#filters summary"));
            browser.type(By.id("filter-tag"), "ATRASO");
            new org.openqa.selenium.support.ui.Select(browser.find(By.id("filter-sort"))).selectByValue("oldest_waiting");
            browser.click(By.id("apply-filters"));
            browser.waitFor(d -> d.findElements(By.cssSelector("#inbox-list .row")).size() == 2 ? true : null);
            assertThat(browser.text(By.id("inbox-list"))).contains("Bruna Reis").contains("Caio Lopes").doesNotContain("Dora Melo");
            assertThat(browser.driver.findElements(By.cssSelector("#inbox-list .row")).get(0).getText())
                    .as("waiting longest first").contains("Bruna Reis");

            browser.type(By.id("view-name"), "Atrasos");
            browser.click(By.id("save-view"));
            browser.waitForText(By.cssSelector(".saved-views"), "Atrasos");

            browser.visit("/inbox");
            browser.waitFor(d -> d.findElements(By.cssSelector("#inbox-list .row")).size() == 3 ? true : null);
            browser.click(By.cssSelector(".saved-views [data-view='Atrasos']"));
            browser.waitFor(d -> d.findElements(By.cssSelector("#inbox-list .row")).size() == 2 ? true : null);

            browser.click(By.cssSelector("[data-conversation-id='" + first.id() + "'] input.select"));
            browser.click(By.cssSelector("[data-conversation-id='" + second.id() + "'] input.select"));
            browser.waitForText(By.id("bulk-count"), "2 selected");
            browser.click(By.id("bulk-close"));
            browser.waitForText(By.cssSelector(".flash-area"), "2 conversation(s) closed.");
            browser.waitFor(d -> d.findElements(By.cssSelector("#inbox-list .row")).isEmpty() ? true : null);
        }
        TenantScope.run(workspace.tenant().id(), () -> {
            assertThat(conversations.find(first.id()).status()).isEqualTo(io.switchboard.conversation.ConversationStatus.CLOSED);
            assertThat(conversations.find(second.id()).status()).isEqualTo(io.switchboard.conversation.ConversationStatus.CLOSED);
            assertThat(conversations.find(third.id()).status()).isNotEqualTo(io.switchboard.conversation.ConversationStatus.CLOSED);
        });
    }

    @Test
    void withTheKeyboardOnlyAnAgentGoesFromTheListToASentReply() {
        Workspace workspace = workspace("Keyboard Co");
        Conversation conversation = customerWrites(workspace, "+5511900000014", "Enzo Faria", "Tem na cor azul?");
        for (String language : List.of("pt-BR", "en")) {
            try (Browser browser = Browser.open(api.baseUrl(), language)) {
                browser.signIn(workspace.tenant().agent().email(), Tenants.PASSWORD, language);
                browser.find(By.id("inbox-list"));
                var keys = new org.openqa.selenium.interactions.Actions(browser.driver);
                keys.sendKeys("j").perform();
                browser.waitFor(d -> d.switchTo().activeElement().getDomAttribute("href") != null
                        && d.switchTo().activeElement().getDomAttribute("href").endsWith(conversation.id().toString()) ? true : null);
                keys.sendKeys(Keys.ENTER).perform();
                browser.waitForText(By.id("messages"), "Tem na cor azul?");
                keys.sendKeys("?").perform();
                browser.waitForText(By.id("shortcuts"), language.equals("en") ? "Keyboard shortcuts" : "Atalhos de teclado");
                keys.sendKeys(Keys.ESCAPE).perform();
                keys.sendKeys("r").perform();
                browser.waitFor(d -> "reply-text".equals(d.switchTo().activeElement().getDomAttribute("id")) ? true : null);
                keys.sendKeys("Temos sim! " + language).sendKeys(Keys.ENTER).perform();
                browser.waitForText(By.cssSelector(".message.from-agent"), "Temos sim! " + language);
            }
        }
    }

    @Test
    void aFailedDeliveryShowsItsReasonInTheReadersLanguage() {
        Workspace workspace = workspace("Delivery Co");
        Conversation conversation = customerWrites(workspace, "+5511900000015", "Gil Teles", "Oi");
        TenantScope.run(workspace.tenant().id(), () -> {
            Message reply = conversations.postOutbound(conversation.id(), SenderType.AGENT, workspace.tenant().agent().id(), null,
                    "Segue o boleto", null, java.time.Instant.now().plusSeconds(3600), false);
            conversations.advanceDelivery(reply.id(), io.switchboard.conversation.MessageStatus.FAILED, null, "21211",
                    "Invalid 'To' phone number");
        });
        for (String language : List.of("pt-BR", "en")) {
            try (Browser browser = Browser.open(api.baseUrl(), language)) {
                browser.signIn(workspace.tenant().agent().email(), Tenants.PASSWORD, language);
                browser.visit("/inbox/conversations/" + conversation.id());
                String failed = browser.text(By.cssSelector(".message[data-status=failed]"));
                if (language.equals("en")) {
                    assertThat(failed).contains("Failed").contains("The customer’s phone number is not valid.");
                } else {
                    assertThat(failed).contains("Falhou").contains("O número de telefone do cliente não é válido.")
                            .doesNotContain("Invalid 'To'");
                }
            }
        }
    }

    @Test
    void errorPagesSpeakTheAppsLanguageAndARefreshAfterARejectedReplyShowsTheConversation() {
        Workspace workspace = workspace("Errors Co");
        Conversation conversation = customerWrites(workspace, "+5511900000016", "Ivo Nunes", "Oi");
        try (Browser browser = Browser.open(api.baseUrl(), "pt-BR")) {
            browser.signIn(workspace.tenant().agent().email(), Tenants.PASSWORD, "pt-BR");
            browser.visit("/inbox/conversations/" + UUID.randomUUID());
            assertThat(browser.text(By.id("error-title"))).isEqualTo("Página não encontrada");
            assertThat(browser.find(By.id("error-home")).getText()).isEqualTo("Ir para a caixa de entrada");
            browser.screenshot("error-404");
            browser.visit("/admin/users");
            assertThat(browser.text(By.id("error-title"))).isEqualTo("Acesso não permitido");

            browser.visit("/inbox/conversations/" + conversation.id());
            browser.click(By.id("send-reply"));
            browser.waitForText(By.id("reply-error"), "Escreva algo");
            browser.driver.navigate().refresh();
            browser.waitForText(By.id("messages"), "Oi");
            // no error page (a "405" searched in the whole source also matched ids: a UUID may hold those digits)
            assertThat(browser.driver.findElements(By.id("error-title"))).isEmpty();
            assertThat(browser.driver.getTitle()).doesNotContain("405");
            assertThat(browser.driver.getPageSource()).doesNotContain("Whitelabel");
        }
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(workspace.tenant().agent().email(), Tenants.PASSWORD);
            browser.visit("/no-such-page");
            assertThat(browser.text(By.id("error-title"))).isEqualTo("Page not found");
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
            assertThat(browser.text(By.id("error-title"))).isEqualTo("Not allowed");
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
