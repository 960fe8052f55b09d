package io.switchboard.web;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.database.TenantScope;
import io.switchboard.identity.Role;
import io.switchboard.identity.User;
import io.switchboard.identity.Users;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.Tenants;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Distribution as two agents live it: both online in their inboxes, a customer asks the AI for a person, and
 * the conversation lands in one agent's "Mine" with a notice, without a reload; that agent goes away and the
 * next customer goes to the other.
 */
@IntegrationTest
class RoutingBrowserTest {

    @Autowired
    AiFixtures fixtures;

    @Autowired
    ApiClient api;

    @Autowired
    Channels channels;

    @Autowired
    Users users;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anEscalatedCustomerAppearsLiveInOneOnlineAgentsMineAndAnAwayAgentStopsReceiving() {
        WireMockServer fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        fake.stubFor(post(urlEqualTo(AiFixtures.COMPLETIONS)).willReturn(AiFixtures.answer("Oi!", 50, 0, 10)));
        var setup = fixtures.create("Routing Live", Map.of("context_timer_seconds", 0, "response_delay_min", 0,
                "response_delay_max", 0), List.of(), true);
        Tenants.Tenant tenant = setup.tenant();
        User second = users.create(tenant.id(), "second-" + UUID.randomUUID().toString().substring(0, 6) + "@example.test",
                "Zeca Second", Tenants.PASSWORD, Role.AGENT);
        String department = api.post("/api/v1/departments", tenant.adminToken(), Map.of("name", "Suporte", "is_default", true))
                .json().get("id").asString();
        for (UUID person : List.of(tenant.agent().id(), second.id())) {
            assertThat(api.post("/api/v1/departments/" + department + "/members", tenant.adminToken(), Map.of("user_id", person))
                    .status()).isEqualTo(201);
        }

        try (Browser first = Browser.open(api.baseUrl()); Browser other = Browser.open(api.baseUrl())) {
            first.signIn(tenant.agent().email(), Tenants.PASSWORD);
            other.signIn(second.email(), Tenants.PASSWORD);
            for (Browser browser : List.of(first, other)) {
                browser.visit("/inbox?tab=MINE");
                browser.waitForLiveStream();
                // opening the live inbox brought them online
                browser.waitFor(d -> "online".equals(d.findElement(By.id("availability")).getDomAttribute("data-presence")));
                browser.markDocument();
                // headless Chromium shows no system notifications: record what the page asks the Notification API for
                browser.driver.executeScript("window.__notified = []; window.Notification = function (title, options) {"
                        + " window.__notified.push(options.body); }; window.Notification.permission = 'granted';");
            }

            String customer = "+5511977000001";
            channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), customer,
                    "Quero falar com um atendente");
            UUID assignee = awaitAssignee(tenant, customer);
            Browser chosen = assignee.equals(tenant.agent().id()) ? first : other;
            Browser notChosen = chosen == first ? other : first;

            chosen.waitFor(d -> d.findElements(By.cssSelector("#inbox-list .row")).size() == 1 ? true : null);
            chosen.waitFor(d -> d.findElement(By.id("routing-notice")).isDisplayed() ? true : null);
            assertThat(chosen.text(By.id("routing-notice"))).contains("assigned to you");
            assertThat(chosen.documentWasKept()).as("it arrived live, without a reload").isTrue();
            assertThat(notChosen.driver.findElement(By.id("routing-notice")).isDisplayed()).isFalse();
            assertThat(String.valueOf(chosen.driver.executeScript("return window.__notified.join('|');")))
                    .as("a system notification").contains("assigned to you");
            assertThat(String.valueOf(notChosen.driver.executeScript("return window.__notified.length;"))).isEqualTo("0");
            // the row carries the SLA clock of the department's default 5-minute first response
            chosen.waitFor(d -> d.findElements(By.cssSelector("#inbox-list .row .sla-badge")).size() == 1 ? true : null);
            assertThat(chosen.driver.findElement(By.cssSelector("#inbox-list .row .sla-badge")).getDomAttribute("data-sla-state"))
                    .isEqualTo("first_response_due");
            assertThat(chosen.text(By.cssSelector("#inbox-list .row .sla-badge"))).containsAnyOf("First reply in 5 min", "First reply in 4 min");
            chosen.screenshot("routing-assigned");

            // the chosen agent steps away: the next customer goes to the other agent
            new Select(chosen.driver.findElement(By.id("presence-status"))).selectByValue("away");
            chosen.waitFor(d -> "away".equals(d.findElement(By.id("availability")).getDomAttribute("data-presence")));
            String next = "+5511977000002";
            channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), next,
                    "Quero falar com um atendente");
            UUID nextAssignee = awaitAssignee(tenant, next);
            assertThat(nextAssignee).isNotEqualTo(assignee);
            notChosen.waitFor(d -> d.findElement(By.id("routing-notice")).isDisplayed() ? true : null);
            assertThat(chosen.driver.findElements(By.cssSelector("#inbox-list .row"))).hasSize(1);

            // the open conversation's header carries its SLA clock too
            chosen.click(By.cssSelector("#inbox-list .row .row-link"));
            chosen.waitFor(d -> d.findElements(By.cssSelector("#conversation-state #sla-conversation .sla-badge")).size() == 1 ? true : null);
            chosen.screenshot("routing-sla-conversation");
            // with a conversation open the header still has the availability toggle (the "who is viewing" line is another element)
            assertThat(chosen.driver.findElement(By.id("presence-status")).isDisplayed()).isTrue();
        }
    }

    private UUID awaitAssignee(Tenants.Tenant tenant, String phone) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> assignee(tenant, phone) != null);
        return assignee(tenant, phone);
    }

    private UUID assignee(Tenants.Tenant tenant, String phone) {
        return TenantScope.call(tenant.id(), () -> jdbc.sql("""
                        select c.agent_id from conversations c join contacts k on k.id = c.contact_id
                        where k.phone = ? and c.organization_id = ?""")
                .params(phone, tenant.id()).query(UUID.class).optional().orElse(null));
    }
}
