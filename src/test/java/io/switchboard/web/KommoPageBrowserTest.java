package io.switchboard.web;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.Tenants;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/** An administrator connects Kommo from the UI, picks the handoff stage among the account's real stages and tests it. */
@IntegrationTest
class KommoPageBrowserTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Test
    void anAdminConnectsKommoPicksTheHandoffStageAndTestsTheConnection() {
        WireMockServer kommo = ProviderFakes.fresh();
        kommo.stubFor(get(urlEqualTo("/api/v4/leads/pipelines")).willReturn(okJson("""
                {"_total_items":1,"_embedded":{"pipelines":[{"id":7710001,"name":"Vendas","sort":1,"is_main":true,
                 "_embedded":{"statuses":[{"id":61420000,"name":"Primeiro contato","sort":10,"pipeline_id":7710001},
                   {"id":61420001,"name":"Com o vendedor","sort":20,"pipeline_id":7710001},
                   {"id":142,"name":"Ganho","sort":10000,"pipeline_id":7710001}]}}]}}""")));
        var tenant = tenants.create("Kommo Page Co");
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(tenant.admin().email(), Tenants.PASSWORD);
            browser.click(By.id("nav-admin-crm"));
            browser.type(By.id("kommo-subdomain"), ProviderFakes.baseUrl());
            browser.type(By.id("kommo-token"), "kommo-long-lived-token");
            browser.type(By.id("kommo-stage"), "61420000");
            browser.click(By.id("save-kommo"));
            browser.waitForText(By.cssSelector("main .notice"), "Kommo connection saved.");
            assertThat(browser.text(By.id("webhook-url"))).contains("/webhooks/kommo/");

            // with the token working, the handoff stage is picked from Kommo's own stages
            new Select(browser.find(By.id("kommo-stage"))).selectByVisibleText("Com o vendedor");
            browser.click(By.id("save-kommo"));
            browser.waitForText(By.id("kommo-connection"), "61420001");
            browser.click(By.id("test-kommo"));
            browser.waitForText(By.id("tested"), "Kommo answered: 1 pipeline(s).");
        }
        var connection = api.get("/api/v1/crm/kommo", tenant.adminToken()).json();
        assertThat(connection.get("handoff_stage_id").asLong()).isEqualTo(61420001L);
        assertThat(connection.get("pipeline_id").asLong()).isEqualTo(7710001L);
    }
}
