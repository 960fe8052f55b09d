package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.conversation.ChannelOrigin;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.InboundMessage;
import io.switchboard.conversation.QueueTab;
import io.switchboard.database.TenantScope;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.Tenants;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Automations in a real browser: an administrator builds a rule and sees it fire; an agent inserts a canned response. */
@IntegrationTest
class AutomationsBrowserTest {

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Conversations conversations;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void twilioFake() {
        AiFixtures.twilioAccepts(ProviderFakes.fresh());
    }

    record Workspace(Tenants.Tenant tenant, UUID channelAccountId, UUID aiAgentId) {
    }

    Workspace workspace(String name) {
        Tenants.Tenant tenant = tenants.create(name);
        // the AI waits an hour before answering, so these tests see only what rules and people do
        UUID aiAgent = TenantScope.call(tenant.id(), () -> jdbc.sql(
                        "insert into ai_agents (organization_id, name, settings) values (?, 'Bia', '{\"context_timer_seconds\": 3600}') returning id")
                .param(tenant.id()).query(UUID.class).single());
        return new Workspace(tenant, channels.twilioAccount(tenant, aiAgent), aiAgent);
    }

    Conversation customerWrites(Workspace workspace, String phone, String name, String text) {
        InboundMessage inbound = new InboundMessage(workspace.tenant().id(),
                new ChannelOrigin(workspace.channelAccountId(), "twilio", QueueTab.SUPPORT, true, workspace.aiAgentId()),
                phone, name, phone, "SM" + UUID.randomUUID(), text, "text", null, null, null);
        return TenantScope.call(workspace.tenant().id(), () -> conversations.ingest(inbound).conversation());
    }

    @Test
    void anAdminBuildsARuleAndSeesItFireOnACustomerMessage() {
        Workspace workspace = workspace("Rule Builder Co");
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(workspace.tenant().admin().email(), Tenants.PASSWORD);
            browser.click(By.id("nav-admin-automations"));
            browser.waitForText(By.tagName("main"), "No rules yet.");

            browser.type(By.id("rule-name"), "Pedido atrasado");
            new Select(browser.find(By.id("rule-event"))).selectByValue("message_received");
            browser.type(By.id("all-field-0"), "message_text");
            new Select(browser.find(By.id("all-operator-0"))).selectByValue("contains");
            browser.type(By.id("all-value-0"), "pedido");
            browser.type(By.id("any-field-0"), "message_text");
            new Select(browser.find(By.id("any-operator-0"))).selectByValue("contains");
            browser.type(By.id("any-value-0"), "atrasado");
            browser.type(By.id("any-field-1"), "message_text");
            new Select(browser.find(By.id("any-operator-1"))).selectByValue("contains");
            browser.type(By.id("any-value-1"), "não chegou");
            new Select(browser.find(By.id("rule-action-type-0"))).selectByValue("add_tag");
            browser.type(By.id("rule-action-value-0"), "atraso");
            new Select(browser.find(By.id("rule-action-type-1"))).selectByValue("add_note");
            browser.type(By.id("rule-action-value-1"), "Verificar a entrega de {{contact.name}}");
            browser.click(By.id("create-rule"));
            browser.waitForText(By.cssSelector("main .notice"), "Rule Pedido atrasado created.");
            assertThat(browser.text(By.id("rules"))).contains("Pedido atrasado").contains("Customer message received")
                    .contains("contains").contains("atrasado").contains("Add tag").contains("Add private note");

            Conversation conversation = customerWrites(workspace, "+5511950000001", "Ana Souza", "Meu pedido 881 não chegou");
            customerWrites(workspace, "+5511950000002", "Rui Alves", "Quero fazer um pedido");
            new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(d -> {
                browser.visit("/admin/automations");
                return d.findElements(By.cssSelector("#runs tr[data-matched='true']")).size() == 1
                        && d.findElements(By.cssSelector("#runs tbody tr")).size() == 2;
            });
            assertThat(browser.text(By.cssSelector("#runs tr[data-matched='true']"))).contains("Pedido atrasado")
                    .contains("tagged: atraso").contains("note: Verificar a entrega de Ana Souza");
            browser.screenshot("admin-automations");

            browser.visit("/inbox/conversations/" + conversation.id());
            browser.waitForText(By.id("conversation-tags"), "atraso");
            browser.waitForText(By.id("messages"), "Verificar a entrega de Ana Souza");
        }
    }

    @Test
    void anAdminEditsARuleInItsPrefilledFormAndTheChangeHolds() {
        Workspace workspace = workspace("Rule Editor Co");
        var created = api.post("/api/v1/automations", workspace.tenant().adminToken(), Map.of("name", "Pedido citado",
                "event", "message_received",
                "conditions", Map.of("all", java.util.List.of(Map.of("field", "message_text", "operator", "contains", "value", "pedido"))),
                "actions", java.util.List.of(Map.of("type", "add_tag", "value", "pedido"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String ruleId = created.json().get("id").asString();
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(workspace.tenant().admin().email(), Tenants.PASSWORD, "pt");
            browser.visit("/admin/automations");
            browser.click(By.cssSelector("tr[data-rule-id='" + ruleId + "'] a.edit-rule"));
            browser.waitForText(By.id("rule-form"), "Editar regra: Pedido citado");
            assertThat(browser.attribute(By.id("rule-name"), "value")).isEqualTo("Pedido citado");
            assertThat(browser.attribute(By.id("all-value-0"), "value")).isEqualTo("pedido");
            assertThat(new Select(browser.find(By.id("rule-action-type-0"))).getFirstSelectedOption().getAttribute("value"))
                    .isEqualTo("add_tag");

            browser.find(By.id("rule-name")).clear();
            browser.type(By.id("rule-name"), "Pedido ou entrega");
            browser.type(By.id("any-field-0"), "message_text");
            new Select(browser.find(By.id("any-operator-0"))).selectByValue("contains");
            browser.type(By.id("any-value-0"), "entrega");
            browser.find(By.id("rule-action-value-0")).clear();
            browser.type(By.id("rule-action-value-0"), "logística");
            browser.click(By.id("create-rule"));
            browser.waitForText(By.cssSelector("main .notice"), "Regra Pedido ou entrega salva.");
            assertThat(browser.text(By.cssSelector("tr[data-rule-id='" + ruleId + "']"))).contains("Pedido ou entrega")
                    .contains("entrega").contains("logística");
        }
        var saved = api.get("/api/v1/automations/" + ruleId, workspace.tenant().adminToken()).json();
        assertThat(saved.get("name").asString()).isEqualTo("Pedido ou entrega");
        assertThat(saved.get("conditions").get("all").get(0).get("value").asString()).isEqualTo("pedido");
        assertThat(saved.get("conditions").get("any").get(0).get("value").asString()).isEqualTo("entrega");
        assertThat(saved.get("actions").size()).as("no action added or lost").isEqualTo(1);
        assertThat(saved.get("actions").get(0).get("value").asString()).isEqualTo("logística");
    }

    @Test
    void anAgentTypesAShortcutAndTheCannedTextLandsInTheReplyBox() {
        Workspace workspace = workspace("Canned Co");
        var created = api.post("/api/v1/canned_responses", workspace.tenant().adminToken(), Map.of("shortcut", "frete",
                "content", "Olá {{contact.first_name}}, o frete é grátis acima de R$ 299.", "shared", true));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        api.post("/api/v1/canned_responses", workspace.tenant().adminToken(), Map.of("shortcut", "prazo",
                "content", "Entregamos em 3 a 7 dias úteis.", "shared", true));
        Conversation conversation = customerWrites(workspace, "+5511950000003", "Ana Souza", "Quanto é o frete?");
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(workspace.tenant().agent().email(), Tenants.PASSWORD);
            browser.visit("/inbox/conversations/" + conversation.id());
            browser.type(By.id("reply-text"), "/fre");
            browser.waitForText(By.id("canned-suggestions"), "/frete");
            assertThat(browser.text(By.id("canned-suggestions"))).doesNotContain("/prazo");
            browser.find(By.id("reply-text")).sendKeys("te");
            browser.find(By.id("reply-text")).sendKeys(Keys.TAB);
            new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(d ->
                    "Olá Ana, o frete é grátis acima de R$ 299.".equals(browser.find(By.id("reply-text")).getDomProperty("value")));
            assertThat(browser.driver.findElements(By.id("canned-suggestions"))).isEmpty();

            browser.find(By.id("reply-text")).sendKeys(Keys.ENTER);
            browser.waitForText(By.cssSelector(".message.from-agent"), "Olá Ana, o frete é grátis acima de R$ 299.");
        }
    }

    @Test
    void anAgentRunsAMacroAndWorksOnActivitiesFromTheConversationPanel() {
        Workspace workspace = workspace("Panel Co");
        var macro = api.post("/api/v1/macros", workspace.tenant().adminToken(), java.util.Map.of("name", "Prioridade VIP",
                "actions", java.util.List.of(java.util.Map.of("type", "add_tag", "value", "vip"),
                        java.util.Map.of("type", "set_priority", "value", "urgent"),
                        java.util.Map.of("type", "create_activity", "value", "Retornar para {{contact.first_name}}"))));
        assertThat(macro.status()).as(macro.body()).isEqualTo(201);
        Conversation conversation = customerWrites(workspace, "+5511950000004", "Carla Nunes", "Sou cliente antiga");
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(workspace.tenant().agent().email(), Tenants.PASSWORD);
            browser.visit("/inbox/conversations/" + conversation.id());
            browser.click(By.id("macro-" + macro.json().get("id").asString()));
            // the macro's changes show at once: the details pane refreshes live with the tag, the panel with the activity
            browser.waitForText(By.id("conversation-tags"), "vip");
            browser.waitForText(By.cssSelector(".activity-list"), "Retornar para Carla");

            browser.type(By.cssSelector(".automation-panel .activity-title"), "Enviar cupom");
            browser.click(By.cssSelector(".automation-panel .activity-form button"));
            browser.waitForText(By.cssSelector(".activity-list"), "Enviar cupom");
            browser.click(By.cssSelector(".activity-list li:first-child button"));
            new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(d ->
                    !d.findElements(By.cssSelector(".activity-list li[data-done='true']")).isEmpty());
            browser.screenshot("conversation-automation-panel");
        }
        assertThat(TenantScope.call(workspace.tenant().id(), () -> conversations.tags(conversation.id()))).containsExactly("vip");
        assertThat(TenantScope.call(workspace.tenant().id(), () -> conversations.find(conversation.id()).priority())).isEqualTo("urgent");
    }
}
