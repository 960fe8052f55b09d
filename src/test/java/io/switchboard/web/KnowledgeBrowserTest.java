package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.conversation.ChannelOrigin;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.InboundMessage;
import io.switchboard.conversation.QueueTab;
import io.switchboard.database.TenantScope;
import io.switchboard.knowledge.ContactMemories;
import io.switchboard.knowledge.Memory;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.Tenants;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Issue 11 in a real browser: an administrator watches a document being indexed; a person corrects what the AI remembers. */
@IntegrationTest
class KnowledgeBrowserTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Channels channels;

    @Autowired
    Conversations conversations;

    @Autowired
    ContactMemories memories;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anAdminUploadsADocumentAndWatchesItsProgressReachDone() throws Exception {
        var tenant = tenants.create("Knowledge Browser Co");
        StringBuilder manual = new StringBuilder("# Manual da loja\n\n");
        for (int i = 1; i <= 40; i++) {
            manual.append("## Seção ").append(i).append("\n\nCuidados com o produto número ").append(i)
                    .append(": limpe com pano úmido, não use álcool e guarde longe do sol. Garantia de ").append(i)
                    .append(" meses contra defeitos de fabricação.\n\n");
        }
        Path file = Files.createTempFile("manual-", ".md");
        Files.writeString(file, manual, StandardCharsets.UTF_8);
        try (Browser browser = Browser.open(api.baseUrl(), "en")) {
            browser.signIn(tenant.admin().email(), Tenants.PASSWORD);
            browser.click(By.id("nav-admin-knowledge"));
            browser.type(By.id("kb-name"), "Manuais");
            browser.click(By.id("create-knowledge-base"));
            browser.find(By.id("knowledge-upload"));
            browser.find(By.id("knowledge-file")).sendKeys(file.toAbsolutePath().toString());
            browser.click(By.id("upload-document"));

            // the table refreshes itself: note every state it shows until the document is ready
            Set<String> seen = new LinkedHashSet<>();
            new WebDriverWait(browser.driver, Duration.ofSeconds(120)).pollingEvery(Duration.ofMillis(100))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .ignoring(org.openqa.selenium.NoSuchElementException.class).until(d -> {
                        WebElement row = d.findElement(By.cssSelector(".knowledge-document"));
                        seen.add(row.getDomAttribute("data-status") + " " + row.findElement(By.cssSelector(".document-chunks")).getText());
                        return "ready".equals(row.getDomAttribute("data-status")) ? true : null;
                    });
            assertThat(seen).as("progress shown before done").anyMatch(s -> s.startsWith("pending") || s.startsWith("indexing"));
            String done = browser.text(By.cssSelector(".knowledge-document .document-chunks"));
            var counts = java.util.regex.Pattern.compile("(\\d+) of (\\d+) passages").matcher(done);
            assertThat(counts.find()).as(done).isTrue();
            assertThat(counts.group(1)).isEqualTo(counts.group(2));
            assertThat(Integer.parseInt(counts.group(1))).isGreaterThan(1);
            assertThat(browser.attribute(By.cssSelector(".knowledge-document progress"), "value")).isEqualTo("100");
            assertThat(browser.text(By.cssSelector(".knowledge-document .document-status"))).contains("Ready");
            browser.driver.navigate().refresh();
            browser.waitForText(By.cssSelector(".knowledge-document .document-sendable"), "Can be sent by the AI");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aPersonCorrectsDeletesAndAddsWhatTheAiRemembersAboutAContact() {
        WireMockServer fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        var tenant = tenants.create("Memory Browser Co");
        // the AI waits an hour before answering, so the test sees only what the person does
        UUID aiAgent = TenantScope.call(tenant.id(), () -> jdbc.sql(
                        "insert into ai_agents (organization_id, name, settings) values (?, 'Bia', '{\"context_timer_seconds\": 3600}') returning id")
                .param(tenant.id()).query(UUID.class).single());
        UUID account = channels.twilioAccount(tenant, aiAgent);
        Conversation conversation = TenantScope.call(tenant.id(), () -> conversations.ingest(new InboundMessage(tenant.id(),
                new ChannelOrigin(account, "twilio", QueueTab.SUPPORT, true, aiAgent), "+5511970000001", "Rita Alves",
                "+5511970000001", "SM" + UUID.randomUUID(), "Oi, tudo bem?", "text", null, null, null)).conversation());
        List<Memory> learnt = TenantScope.call(tenant.id(), () -> memories.remember(conversation.contactId(), aiAgent, conversation.id(),
                List.of("Tem um gato chamado Mingau", "Mora em Curitiba")));
        Memory cat = learnt.get(0);
        Memory city = learnt.get(1);

        try (Browser browser = Browser.open(api.baseUrl(), "pt-BR")) {
            browser.signIn(tenant.agent().email(), Tenants.PASSWORD, "pt-BR");
            browser.visit("/inbox/conversations/" + conversation.id());
            browser.waitForLiveStream();
            browser.waitForText(By.id("memories"), "O que a IA lembra");
            By catField = By.id("memory-" + cat.id());
            assertThat(browser.attribute(catField, "value")).isEqualTo("Tem um gato chamado Mingau");
            browser.waitForText(By.cssSelector("[data-memory-id='" + cat.id() + "']"), "aprendido pela IA");

            browser.waitFor(d -> {
                WebElement field = d.findElement(catField);
                field.clear();
                field.sendKeys("Tem dois gatos: Mingau e Paçoca");
                return "Tem dois gatos: Mingau e Paçoca".equals(field.getDomProperty("value")) ? true : null;
            });
            browser.click(By.cssSelector("[data-memory-id='" + cat.id() + "'] .memory-edit button"));
            browser.waitForText(By.cssSelector("[data-memory-id='" + cat.id() + "']"), "escrito por uma pessoa");
            assertThat(browser.driver.findElement(catField).getDomProperty("value")).isEqualTo("Tem dois gatos: Mingau e Paçoca");

            browser.click(By.cssSelector("[data-memory-id='" + city.id() + "'] .memory-delete"));
            browser.waitFor(d -> d.findElements(By.cssSelector("[data-memory-id='" + city.id() + "']")).isEmpty() ? true : null);

            browser.click(By.cssSelector("#memory-add button"));
            browser.waitForText(By.cssSelector("#memories .error"), "Escreva o que deve ser lembrado.");
            browser.type(By.id("memory-new"), "Prefere ser chamada de Rita");
            browser.click(By.cssSelector("#memory-add button"));
            browser.waitFor(d -> d.findElements(By.cssSelector("#memory-list li")).size() == 2 ? true : null);
        }
        List<Memory> stored = TenantScope.call(tenant.id(), () -> memories.of(conversation.contactId()));
        assertThat(stored).extracting(Memory::fact).containsExactlyInAnyOrder("Tem dois gatos: Mingau e Paçoca", "Prefere ser chamada de Rita");
        assertThat(stored).allSatisfy(m -> assertThat(m.source()).isEqualTo(Memory.Source.PERSON));
        assertThat(stored).filteredOn(m -> m.id().equals(cat.id())).singleElement()
                .satisfies(m -> assertThat(m.conversationId()).isEqualTo(conversation.id()));
    }
}
