package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.database.TenantScope;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.ConversationHistory;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** An administrator opens the reports: charts drawn, tables behind them, both languages, a CSV download. */
@IntegrationTest
class ReportsBrowserTest {

    @Autowired
    AiFixtures ai;
    @Autowired
    ApiClient api;
    @Autowired
    JdbcClient jdbc;

    @Test
    void theReportsPageDrawsChartsSwitchesLanguageAndDownloadsACsv() throws Exception {
        var setup = ai.create("Reports Page", Map.of(), List.of(), false);
        ConversationHistory history = new ConversationHistory(jdbc, setup.tenant().id(), setup.accountId());
        TenantScope.run(setup.tenant().id(), () -> {
            UUID zeca = history.aiAgent("Zeca");
            for (int day = 1; day <= 6; day++) {
                UUID agent = day % 2 == 0 ? setup.agentId() : zeca;
                Instant opened = Instant.now().minus(day, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
                UUID conversation = history.conversation(agent, null, opened.toString(), null);
                history.customer(conversation, opened.toString(), "Onde está meu pedido?");
                history.aiAnswer(conversation, agent, opened.plusSeconds(3).toString(), "Sai hoje.");
                history.llmCall(conversation, agent, opened.plusSeconds(2).toString(), 1000 * day, 100, 80, "0.00" + day + "000", "ok");
                history.tool(conversation, agent, "order_status", day != 3, 200L * day, opened.plusSeconds(1).toString());
                if (day == 4) {
                    history.event(conversation, "handed_off", opened.plusSeconds(5).toString(),
                            "Escalated: the customer asked for a person");
                }
            }
        });
        assertThat(api.post("/api/v1/reports/refresh?rebuild=true", setup.tenant().adminToken(), Map.of()).status()).isEqualTo(200);

        Path downloads = Files.createTempDirectory("switchboard-downloads-");
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.driver.executeCdpCommand("Browser.setDownloadBehavior",
                    Map.of("behavior", "allow", "downloadPath", downloads.toAbsolutePath().toString()));
            browser.signIn(setup.tenant().admin().email(), Tenants.PASSWORD);
            browser.click(By.id("nav-reports"));
            browser.waitForText(By.tagName("h1"), "Reports");

            // each chart is an SVG with one mark per data point: six days of cost, two agents, one tool
            waitForDrawn(browser, "chart-costs-by-day");
            assertThat(browser.driver.findElements(By.cssSelector("#chart-costs-by-day svg path")).size()).isGreaterThan(6);
            waitForDrawn(browser, "chart-conversations");
            waitForDrawn(browser, "chart-tools");
            assertThat(browser.find(By.id("chart-costs-by-day")).getDomAttribute("data-drawn")).isEqualTo("30");
            assertThat(browser.find(By.id("chart-conversations")).getDomAttribute("data-drawn")).isEqualTo("2");
            assertThat(browser.text(By.id("table-agents"))).contains("Lia").contains("Zeca").contains("Resolution rate");
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 2200));
            waitForDrawn(browser, "chart-tools");
            browser.screenshot("reports");

            browser.click(By.cssSelector(".lang a[lang='pt-BR']"));
            browser.waitForText(By.tagName("h1"), "Relatórios");
            waitForDrawn(browser, "chart-costs-by-day");
            assertThat(browser.text(By.id("table-agents"))).contains("Taxa de resolução");

            browser.click(By.cssSelector("a.csv[href*='costs_by_day']"));
            Path csv = browser.waitFor(d -> {
                try (var files = Files.list(downloads)) {
                    return files.filter(f -> f.toString().endsWith(".csv")).findFirst().orElse(null);
                } catch (java.io.IOException e) {
                    return null;
                }
            });
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            assertThat(lines.get(0)).isEqualTo("day,calls,prompt_tokens,cached_tokens,completion_tokens,cost_usd,unknown_price_calls");
            assertThat(lines).hasSize(31);
            assertThat(lines.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[1])).sum()).isEqualTo(6);
        }
    }

    private static void waitForDrawn(Browser browser, String chart) {
        browser.waitFor(d -> {
            WebElement element = d.findElement(By.id(chart));
            return element.getDomAttribute("data-drawn") != null
                    && !element.findElements(By.cssSelector("svg path")).isEmpty() ? true : null;
        });
    }
}
