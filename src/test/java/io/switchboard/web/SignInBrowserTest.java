package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.identity.Role;
import io.switchboard.identity.Users;
import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 17 in a real browser: one e-mail and password with accounts in two organizations (and a third account of
 * the address with another password). After the password the person chooses the organization — only those the
 * password opened are offered — and enters that one only; a wrong password is the usual error.
 */
@IntegrationTest
class SignInBrowserTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Users users;

    @Test
    void aPersonWithAccountsInTwoOrganizationsChoosesWhichToEnter() {
        var padaria = tenants.create("Padaria Central");
        var livraria = tenants.create("Livraria Norte");
        var oficina = tenants.create("Oficina Sul");
        String ana = "ana-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        users.create(padaria.id(), ana, "Ana da Padaria", "mesma senha de sempre", Role.ADMIN);
        users.create(livraria.id(), ana, "Ana da Livraria", "mesma senha de sempre", Role.AGENT);
        users.create(oficina.id(), ana, "Ana da Oficina", "outra senha qualquer", Role.AGENT);

        try (Browser browser = Browser.open(api.baseUrl(), "pt-BR")) {
            submitSignIn(browser, ana, "mesma senha de sempre", "pt-BR");
            browser.waitFor(ExpectedConditions.urlContains("/login/organization"));
            assertThat(browser.text(By.tagName("h1"))).isEqualTo("Escolha uma organização");
            assertThat(offered(browser)).containsExactly("Livraria Norte", "Padaria Central");
            browser.screenshot("login-organization");

            browser.click(By.xpath("//button[normalize-space()='Livraria Norte']"));
            browser.waitFor(ExpectedConditions.urlContains("/inbox"));
            browser.visit("/api/v1/me");
            assertThat(browser.text(By.tagName("body"))).contains(livraria.id().toString()).contains("Ana da Livraria")
                    .doesNotContain(padaria.id().toString());
        }

        try (Browser browser = Browser.open(api.baseUrl())) {
            submitSignIn(browser, ana, "mesma senha de sempre", "en");
            browser.waitFor(ExpectedConditions.urlContains("/login/organization"));
            assertThat(browser.text(By.tagName("h1"))).isEqualTo("Choose an organization");
            assertThat(offered(browser)).containsExactly("Livraria Norte", "Padaria Central");
            browser.click(By.xpath("//button[normalize-space()='Padaria Central']"));
            browser.waitFor(ExpectedConditions.urlContains("/inbox"));
            browser.visit("/admin/users");
            String people = browser.text(By.tagName("main"));
            assertThat(people).contains("Ana da Padaria").doesNotContain("Ana da Livraria").doesNotContain("Ana da Oficina");
        }

        try (Browser browser = Browser.open(api.baseUrl())) {
            submitSignIn(browser, ana, "senha errada", "en");
            browser.waitFor(ExpectedConditions.urlContains("/login?error"));
            assertThat(browser.text(By.cssSelector(".error"))).isEqualTo("Wrong e-mail or password.");
        }
    }

    private static List<String> offered(Browser browser) {
        browser.find(By.cssSelector("button[name=organization_id]"));
        return browser.driver.findElements(By.cssSelector("button[name=organization_id]")).stream().map(WebElement::getText).toList();
    }

    private static void submitSignIn(Browser browser, String email, String password, String lang) {
        browser.visit("/login?lang=" + lang);
        browser.type(By.id("username"), email);
        browser.type(By.id("password"), password);
        browser.click(By.id("sign-in"));
    }
}
