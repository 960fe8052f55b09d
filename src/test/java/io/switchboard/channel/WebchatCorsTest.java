package io.switchboard.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The widget calls the web chat API from the customer's own site; providers' webhooks get no CORS answer. */
@IntegrationTest
class WebchatCorsTest {

    @Autowired
    ApiClient api;

    @Test
    void aShopsSiteMayCallTheWebchatApiButNotTheWebhooks() {
        var webchat = api.send(preflight("/webchat/" + UUID.randomUUID() + "/messages", "X-Webchat-Token, Content-Type"));
        assertThat(webchat.status()).as(webchat.body()).isEqualTo(200);
        assertThat(webchat.header("Access-Control-Allow-Origin")).isEqualTo("https://loja.example.com.br");
        assertThat(webchat.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(webchat.header("Access-Control-Allow-Headers")).containsIgnoringCase("x-webchat-token");
        assertThat(webchat.header("Access-Control-Allow-Credentials")).as("the token travels in a header, not a cookie").isNull();

        var refusedHeader = api.send(preflight("/webchat/" + UUID.randomUUID() + "/messages", "Authorization"));
        assertThat(refusedHeader.header("Access-Control-Allow-Origin")).as("only the widget's own headers").isNull();

        var webhook = api.send(preflight("/webhooks/twilio/" + UUID.randomUUID(), "Content-Type"));
        assertThat(webhook.header("Access-Control-Allow-Origin")).isNull();
    }

    private HttpRequest preflight(String path, String headers) {
        return HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://loja.example.com.br")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", headers).build();
    }
}
