package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.MediaFakes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The web chat widget on {@code /demo}, in a real Chromium: the demo workspace's AI agent greets the
 * visitor, answers from its FAQ (no LLM key needed) with the reply pushed over SSE, and a reload finds the
 * same conversation.
 */
@IntegrationTest
class WebchatWidgetBrowserTest {

    @Autowired
    ApiClient api;

    @Test
    void aVisitorOnTheDemoPageIsGreetedGetsAnAnswerPushedAndFindsTheConversationAfterAReload() {
        try (Browser browser = Browser.open(api.baseUrl())) {
            browser.visit("/demo");
            browser.click(By.id("switchboard-chat-button"));
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-other"), "Lia");

            browser.type(By.cssSelector("#switchboard-chat input[name=text]"), "Quanto custa o frete?");
            browser.click(By.cssSelector("#switchboard-chat button[type=submit]"));
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-contact"), "Quanto custa o frete?");
            browser.waitForTextLonger(By.cssSelector("#switchboard-chat .sbw-other"), "frete é grátis");
            browser.screenshot("webchat-demo");

            browser.visit("/demo");
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-contact"), "Quanto custa o frete?");
            assertThat(browser.text(By.id("switchboard-chat"))).contains("frete é grátis");
        }
    }

    @Test
    void aVisitorWithAnEnglishBrowserGetsTheWidgetAndTheHandoffInEnglishWithWhoWroteWhatAndWhen() {
        try (Browser browser = Browser.open(api.baseUrl(), "en-US")) {
            browser.visit("/demo");
            browser.click(By.id("switchboard-chat-button"));
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-ai"), "Virtual assistant");
            assertThat(browser.find(By.cssSelector("#switchboard-chat input[name=text]")).getDomAttribute("placeholder"))
                    .isEqualTo("Type your message…");
            assertThat(browser.text(By.cssSelector("#switchboard-chat button[type=submit]"))).isEqualTo("Send");

            browser.type(By.cssSelector("#switchboard-chat input[name=text]"), "I want to talk to a human please");
            browser.click(By.cssSelector("#switchboard-chat button[type=submit]"));
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-contact"), "You");
            browser.waitForTextLonger(By.cssSelector("#switchboard-chat .sbw-system"), "handing you over to a person");
            assertThat(browser.text(By.cssSelector("#switchboard-chat .sbw-contact .sbw-time")))
                    .as("a time on each message").matches(".*\\d{1,2}:\\d{2}.*");
            assertThat(browser.text(By.id("switchboard-chat"))).doesNotContain("Vou transferir");
        }
    }

    @Test
    void aVisitorAttachesAPhotoAndAPdfSeesThemInTheThreadAndIsToldWhyAProgramIsRefused() throws Exception {
        Path photo = Files.createTempFile("bolo-", ".png");
        Files.write(photo, picture());
        Path pdf = Files.createTempFile("comprovante-", ".pdf");
        Files.write(pdf, MediaFakes.PDF);
        Path program = Files.createTempFile("setup-", ".exe");
        Files.write(program, "MZ not a document".getBytes());
        try (Browser browser = Browser.open(api.baseUrl(), "pt-BR")) {
            browser.visit("/demo");
            browser.click(By.id("switchboard-chat-button"));
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-other"), "Lia");
            assertThat(browser.attribute(By.cssSelector("#switchboard-chat .sbw-attach"), "aria-label")).isEqualTo("Anexar arquivo");

            // picked: a preview with the name, the box asks for a caption, and the photo goes as the visitor's message
            WebElement file = browser.driver.findElement(By.cssSelector("#switchboard-chat input[type=file]"));
            file.sendKeys(photo.toString());
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-preview"), photo.getFileName().toString());
            assertThat(browser.find(By.cssSelector("#switchboard-chat .sbw-preview img")).getDomAttribute("src")).startsWith("data:image/png");
            assertThat(browser.find(By.cssSelector("#switchboard-chat input[name=text]")).getDomAttribute("placeholder"))
                    .isEqualTo("Legenda (opcional)…");
            browser.type(By.cssSelector("#switchboard-chat input[name=text]"), "Olha o bolo que chegou");
            browser.click(By.cssSelector("#switchboard-chat button[type=submit]"));
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-contact"), "Olha o bolo que chegou");
            WebElement image = browser.find(By.cssSelector("#switchboard-chat .sbw-contact img.sbw-media"));
            browser.waitFor(d -> ((Number) ((JavascriptExecutor) d).executeScript("return arguments[0].naturalWidth", image)).intValue() == 240);
            assertThat(browser.driver.findElement(By.cssSelector("#switchboard-chat .sbw-preview")).isDisplayed()).as("the preview is gone once sent")
                    .isFalse();

            // a document: its name and size in the thread
            file.sendKeys(pdf.toString());
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-preview"), pdf.getFileName().toString());
            browser.click(By.cssSelector("#switchboard-chat button[type=submit]"));
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-contact a.sbw-doc"), pdf.getFileName().toString());
            assertThat(browser.text(By.cssSelector("#switchboard-chat .sbw-contact a.sbw-doc"))).contains(MediaFakes.PDF.length + " B");
            browser.screenshot("webchat-upload");

            // a program: refused by the server, said in the visitor's language, nothing added to the thread
            int bubbles = browser.driver.findElements(By.cssSelector("#switchboard-chat .sbw-contact")).size();
            file.sendKeys(program.toString());
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-preview"), program.getFileName().toString());
            browser.click(By.cssSelector("#switchboard-chat button[type=submit]"));
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-error"), "tipo de arquivo não é aceito");
            assertThat(browser.driver.findElements(By.cssSelector("#switchboard-chat .sbw-contact"))).hasSize(bubbles);

            // after a reload the files are still there
            browser.visit("/demo");
            browser.find(By.cssSelector("#switchboard-chat .sbw-contact img.sbw-media"));
            browser.waitForText(By.cssSelector("#switchboard-chat .sbw-contact a.sbw-doc"), pdf.getFileName().toString());
        }
    }

    /** A small picture of a cake, so the thumbnail is something to see in the screenshot. */
    private static byte[] picture() throws java.io.IOException {
        var image = new java.awt.image.BufferedImage(240, 160, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(new java.awt.Color(0xFDE68A));
        g.fillRect(0, 0, 240, 160);
        g.setColor(new java.awt.Color(0xB45309));
        g.fillRoundRect(50, 70, 140, 60, 16, 16);
        g.setColor(new java.awt.Color(0x78350F));
        g.fillRoundRect(50, 60, 140, 22, 16, 16);
        g.setColor(new java.awt.Color(0xDC2626));
        g.fillOval(112, 42, 16, 16);
        g.dispose();
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
