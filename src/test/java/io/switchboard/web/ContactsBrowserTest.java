package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.ChannelOrigin;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.InboundMessage;
import io.switchboard.conversation.QueueTab;
import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A person edits a contact and merges the duplicate the same customer became on another channel. */
@IntegrationTest
class ContactsBrowserTest {

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Conversations conversations;

    @Autowired
    Contacts contacts;

    @Autowired
    JdbcClient jdbc;

    Conversation customerWrites(Tenants.Tenant tenant, UUID account, String type, String phone, String name, String text) {
        InboundMessage inbound = new InboundMessage(tenant.id(), new ChannelOrigin(account, type, QueueTab.WHATSAPP, true, null),
                phone, name, phone, "M" + UUID.randomUUID(), text, "text", null, null, null);
        return TenantScope.call(tenant.id(), () -> conversations.ingest(inbound).conversation());
    }

    @Test
    void aPersonEditsAContactAndMergesItsDuplicate() {
        var tenant = tenants.create("Contacts Co");
        UUID twilio = channels.twilioAccount(tenant, null);
        UUID meta = channels.metaAccount(tenant);
        Conversation first = customerWrites(tenant, twilio, "twilio", "+5511960000001", "Ana Souza", "Oi, meu pedido?");
        Conversation second = customerWrites(tenant, meta, "meta_cloud", "+55 11 96000-0001", "Ana", "Alô, sou eu de novo");
        customerWrites(tenant, twilio, "twilio", "+5511960000002", "Bruno Dias", "Bom dia");
        assertThat(second.contactId()).isNotEqualTo(first.contactId());

        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(tenant.agent().email(), Tenants.PASSWORD);
            browser.click(By.id("nav-contacts"));
            browser.type(By.id("contact-q"), "ana");
            browser.click(By.cssSelector("#contact-search button"));
            // the whole list shows first; the search narrows it
            new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, java.time.Duration.ofSeconds(10))
                    .until(d -> !browser.text(By.id("contacts")).contains("Bruno"));
            assertThat(browser.text(By.id("contacts"))).contains("Ana Souza");
            browser.click(By.cssSelector("#contacts tr[data-contact-id='" + first.contactId() + "'] a"));

            browser.find(By.id("contact-name")).clear();
            browser.type(By.id("contact-name"), "Ana Souza Lima");
            browser.type(By.id("contact-email"), "ana@example.com");
            browser.type(By.id("contact-attributes"), "cidade = Campinas");
            browser.click(By.id("save-contact"));
            browser.waitForText(By.cssSelector("main .notice"), "Contact saved.");
            assertThat(browser.text(By.id("contact-title"))).isEqualTo("Ana Souza Lima");

            browser.type(By.id("contact-tag"), "VIP");
            browser.click(By.cssSelector("#contact-tag-form button"));
            browser.waitForText(By.id("contact-tags"), "VIP");

            // the same phone written another way, on another channel: offered as a duplicate and merged
            browser.waitForText(By.id("duplicates"), "Ana");
            browser.click(By.id("merge-" + second.contactId()));
            browser.waitForText(By.cssSelector("main .notice"), "Duplicate merged");
            assertThat(browser.driver.findElements(By.cssSelector("#contact-conversations li"))).hasSize(2);
            assertThat(browser.text(By.id("duplicates"))).doesNotContain("Ana");
            browser.screenshot("contact");

            browser.visit("/contacts?q=ana");
            assertThat(browser.driver.findElements(By.cssSelector("#contacts tbody tr"))).hasSize(1);
        }

        Contact kept = TenantScope.call(tenant.id(), () -> contacts.get(first.contactId()));
        assertThat(kept.name()).isEqualTo("Ana Souza Lima");
        assertThat(kept.email()).isEqualTo("ana@example.com");
        assertThat(kept.customAttributes()).contains("\"cidade\": \"Campinas\"");
        assertThat(TenantScope.call(tenant.id(), () -> contacts.tags(first.contactId()))).containsExactly("VIP");
        assertThat(TenantScope.call(tenant.id(), () -> conversations.find(second.id()).contactId())).isEqualTo(first.contactId());
        // the customer writing again on the other channel reaches the kept contact
        Conversation again = customerWrites(tenant, meta, "meta_cloud", "+55 11 96000-0001", "Ana", "Oi de novo");
        assertThat(again.contactId()).isEqualTo(first.contactId());
    }
}
