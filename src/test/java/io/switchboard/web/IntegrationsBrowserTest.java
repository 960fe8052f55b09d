package io.switchboard.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.Tenants;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** An administrator connects an HTTP API and n8n, defines a tool on each and tries them, in a real browser. */
@IntegrationTest
class IntegrationsBrowserTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Test
    void anAdminConnectsSystemsDefinesAnHttpAndAnN8nToolAndTriesThem() {
        WireMockServer fake = ProviderFakes.server();
        String prefix = "/ui-" + UUID.randomUUID().toString().substring(0, 8);
        fake.stubFor(get(urlPathEqualTo(prefix + "/api/frete")).withHeader("X-Api-Key", equalTo("sk_ui_frete"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"prazo_dias\":4,\"valor\":\"24.50\",\"interno\":\"nao mostrar\"}")));
        fake.stubFor(post(urlEqualTo(prefix + "/webhook/chamado"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"ticket\":\"T-77\"}")));
        var tenant = tenants.create("Integrations UI");
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(tenant.admin().email(), Tenants.PASSWORD);
            browser.click(By.id("nav-admin-integrations"));
            browser.waitForText(By.tagName("main"), "No integrations yet");

            addIntegration(browser, "http_api", "Transportadora", ProviderFakes.baseUrl() + prefix + "/api", "api_key=sk_ui_frete");
            browser.waitForText(By.id("integrations"), "Transportadora");
            addIntegration(browser, "n8n", "Workflows", ProviderFakes.baseUrl() + prefix + "/webhook/chamado", "");
            browser.waitForText(By.id("integrations"), "Workflows");
            assertThat(browser.text(By.id("integrations"))).contains("api_key").doesNotContain("sk_ui_frete");
            browser.click(By.cssSelector("#integrations tr:first-child .test-connection"));
            browser.waitForText(By.cssSelector(".notice"), "The connection works");

            browser.click(By.id("nav-admin-tools"));
            browser.waitForText(By.tagName("main"), "No tools of your own yet");
            browser.type(By.id("tool-slug"), "consultar_frete");
            new Select(browser.find(By.id("tool-type"))).selectByValue("http");
            browser.type(By.id("tool-description"), "Consulta prazo e valor do frete para um CEP");
            new Select(browser.find(By.id("tool-integration"))).selectByVisibleText("Transportadora (HTTP API)");
            browser.type(By.id("tool-parameters"), "{\"type\":\"object\",\"properties\":{\"cep\":{\"type\":\"string\"}},\"required\":[\"cep\"]}");
            browser.type(By.id("tool-url"), "/frete?cep={{args.cep}}");
            browser.type(By.id("tool-headers"), "X-Api-Key: {{secret.api_key}}");
            browser.type(By.id("tool-fields"), "/prazo_dias, /valor");
            browser.click(By.id("save-tool"));
            browser.waitForText(By.id("own-tools"), "consultar_frete");

            browser.type(By.id("tool-slug"), "abrir_chamado");
            new Select(browser.find(By.id("tool-type"))).selectByValue("n8n");
            browser.type(By.id("tool-description"), "Abre um chamado no sistema da loja");
            new Select(browser.find(By.id("tool-integration"))).selectByVisibleText("Workflows (n8n)");
            browser.type(By.id("tool-parameters"), "{\"type\":\"object\",\"properties\":{\"assunto\":{\"type\":\"string\"}}}");
            browser.click(By.id("save-tool"));
            browser.waitForText(By.id("own-tools"), "abrir_chamado");

            browser.find(By.id("args-consultar_frete")).clear();
            browser.type(By.id("args-consultar_frete"), "{\"cep\":\"01001-000\"}");
            browser.click(By.id("try-consultar_frete"));
            browser.waitForText(By.id("result-consultar_frete"), "24.50");
            assertThat(browser.text(By.id("result-consultar_frete"))).contains("Worked").contains("/prazo_dias").doesNotContain("nao mostrar");

            browser.find(By.id("args-abrir_chamado")).clear();
            browser.type(By.id("args-abrir_chamado"), "{\"assunto\":\"troca\"}");
            browser.click(By.id("try-abrir_chamado"));
            browser.waitForText(By.id("result-abrir_chamado"), "T-77");
        }
        assertThat(fake.findAll(postRequestedFor(urlEqualTo(prefix + "/webhook/chamado")))).hasSize(1);
        JsonNode frete = api.get("/api/v1/ai_tools/consultar_frete", tenant.adminToken()).json();
        assertThat(frete.get("type").asString()).isEqualTo("http");
        assertThat(frete.get("config").get("headers").get("X-Api-Key").asString()).isEqualTo("{{secret.api_key}}");
        assertThat(api.get("/api/v1/ai_tools/abrir_chamado", tenant.adminToken()).json().get("type").asString()).isEqualTo("n8n");
    }

    private static void addIntegration(Browser browser, String kind, String name, String address, String secrets) {
        new Select(browser.find(By.id("integration-kind"))).selectByValue(kind);
        browser.type(By.id("integration-name"), name);
        browser.type(By.id("integration-address"), address);
        if (!secrets.isEmpty()) {
            browser.type(By.id("integration-secrets"), secrets);
        }
        browser.click(By.id("save-integration"));
    }
}
