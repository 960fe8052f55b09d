package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.switchboard.database.TenantScope;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.MediaFakes;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.Tenants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A customer's photo and voice note in the inbox, and an agent sending a PDF, in a real browser. */
@IntegrationTest
class MediaBrowserTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Channels channels;

    @Autowired
    JdbcClient jdbc;

    WireMockServer fake;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
    }

    @Test
    void anAgentSeesThePhotoAndVoiceNoteAndSendsAPdfThatTwilioFetchesFromASignedAddress() throws Exception {
        var tenant = tenants.create("Media Browser");
        // the AI waits an hour before answering: this test sees only what people do
        UUID aiAgent = TenantScope.call(tenant.id(), () -> jdbc.sql(
                        "insert into ai_agents (organization_id, name, settings) values (?, 'Bia', '{\"context_timer_seconds\": 3600}') returning id")
                .param(tenant.id()).query(UUID.class).single());
        UUID account = channels.twilioAccount(tenant, aiAgent);
        String sid = Channels.twilioSid(tenant);
        String photo = "MM" + UUID.randomUUID().toString().replace("-", "");
        String voice = "MM" + UUID.randomUUID().toString().replace("-", "");
        MediaFakes.twilioServes(fake, sid, photo, "ME1" + photo.substring(3), "image/png", MediaFakes.PNG);
        MediaFakes.twilioServes(fake, sid, voice, "ME2" + voice.substring(3), "audio/ogg", MediaFakes.OGG);
        MediaFakes.twilioMedia(channels, account, sid, photo, "+5511944443333", "ME1" + photo.substring(3), "image/png", "a foto do bolo");
        MediaFakes.twilioMedia(channels, account, sid, voice, "+5511944443333", "ME2" + voice.substring(3), "audio/ogg", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> tenant.scoped(() ->
                jdbc.sql("select count(*) from media_files where status = 'ready'").query(Integer.class).single()) == 2);
        UUID conversation = tenant.scoped(() -> jdbc.sql("select id from conversations").query(UUID.class).single());
        Path pdf = Files.createTempFile("invoice-", ".pdf");
        Files.write(pdf, MediaFakes.PDF);
        Path program = Files.createTempFile("setup-", ".exe");
        Files.write(program, "MZ not a document".getBytes());

        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.signIn(tenant.agent().email(), Tenants.PASSWORD);
            browser.visit("/inbox/conversations/" + conversation);
            WebElement image = browser.find(By.cssSelector(".message .attachments img"));
            await().atMost(Duration.ofSeconds(10)).until(() -> ((Number) ((JavascriptExecutor) browser.driver)
                    .executeScript("return arguments[0].naturalWidth", image)).intValue() == 1);
            WebElement audio = browser.find(By.cssSelector(".message .attachments audio"));
            assertThat(audio.getAttribute("src")).contains("/media/");
            assertThat(browser.driver.getPageSource()).doesNotContain(photo).as("never the provider's address");

            browser.click(By.cssSelector(".message .attachments [data-viewer]"));
            assertThat(browser.find(By.cssSelector("#media-viewer img")).getAttribute("src")).contains("/media/");
            browser.click(By.cssSelector("#media-viewer img"));

            // a refused type: the reply box says why
            WebElement input = reveal(browser, "attach-file");
            input.sendKeys(program.toString());
            browser.waitForText(By.id("attach-error"), "application/pdf");

            browser.type(By.id("reply-text"), "Segue a nota fiscal");
            input = reveal(browser, "attach-file");
            input.sendKeys(pdf.toString());
            await().atMost(Duration.ofSeconds(20)).until(() -> !AiFixtures.twilioRequests(fake, sid).isEmpty());
            browser.find(By.cssSelector(".message.outbound .attachments a.document"));
        }

        List<LoggedRequest> sent = AiFixtures.twilioRequests(fake, sid);
        assertThat(sent).hasSize(1);
        assertThat(AiFixtures.formField(sent.get(0), "Body")).isEqualTo("Segue a nota fiscal");
        String mediaUrl = AiFixtures.formField(sent.get(0), "MediaUrl");
        assertThat(mediaUrl).contains("/webhooks/media/").contains(pdf.getFileName().toString()).contains("signature=");
        // Twilio fetches it without any session: the signature is the permission, and only an untampered one
        String path = mediaUrl.substring(mediaUrl.indexOf("/webhooks/media/"));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(MediaFakes.PDF);
        assertThat(fetched.headers().firstValue("Content-Type")).hasValue("application/pdf");
        HttpResponse<byte[]> tampered = http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path.replaceAll("signature=.", "signature=x")))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(tampered.statusCode()).isEqualTo(403);
    }

    /** The file picker is visually hidden behind its label; a person clicks the label, the test types into the input. */
    private static WebElement reveal(Browser browser, String id) {
        WebElement input = browser.driver.findElement(By.id(id));
        ((JavascriptExecutor) browser.driver).executeScript("arguments[0].classList.remove('visually-hidden')", input);
        return input;
    }
}
