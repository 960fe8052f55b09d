package io.switchboard.outbound;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.support.ProviderFakes;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The guard as an installation has it out of the box: internal addresses refused. */
class OutboundGuardTest {

    final OutboundGuard byDefault = new OutboundGuard(OutboundProperties.defaults());

    @Test
    void loopbackPrivateAndLinkLocalAddressesAreRefusedByDefault() {
        assertThat(byDefault.refusal("http://127.0.0.1:8080/hook")).get().asString()
                .contains("127.0.0.1").contains("switchboard.outbound.allow-private-addresses");
        assertThat(byDefault.refusal("http://localhost/hook")).isPresent();
        assertThat(byDefault.refusal("http://[::1]/hook")).isPresent();
        assertThat(byDefault.refusal("https://10.0.0.5/api")).isPresent();
        assertThat(byDefault.refusal("https://192.168.1.10/api")).isPresent();
        assertThat(byDefault.refusal("https://172.16.3.4/api")).isPresent();
        assertThat(byDefault.refusal("http://169.254.169.254/latest/meta-data/")).as("cloud metadata").isPresent();
        assertThat(byDefault.refusal("http://100.64.0.1/")).as("carrier-grade NAT").isPresent();
        assertThat(byDefault.refusal("http://0.0.0.0:8080/")).isPresent();
        assertThat(byDefault.refusal("http://[fd12:3456::1]/")).as("IPv6 unique local").isPresent();
        assertThat(byDefault.refusal("https://93.184.216.34/api")).as("a public address").isEmpty();
    }

    @Test
    void onlyHttpUrlsWithAHostAreCallable() {
        assertThat(byDefault.refusal("file:///etc/passwd")).get().asString().contains("http:// or https://");
        assertThat(byDefault.refusal("gopher://93.184.216.34/")).isPresent();
        assertThat(byDefault.refusal("http:///path")).isPresent();
        assertThatThrownBy(() -> byDefault.requireAllowed("config.outbound_webhook_url", "http://127.0.0.1:9/x"))
                .isInstanceOf(InvalidInput.class).hasMessageStartingWith("config.outbound_webhook_url: ");
    }

    @Test
    void theOperatorCanAllowPrivateAddresses() {
        OutboundGuard allowing = new OutboundGuard(new OutboundProperties(true, null, null));
        assertThat(allowing.refusal("http://127.0.0.1:8080/hook")).isEmpty();
        assertThat(allowing.refusal("file:///etc/passwd")).as("the scheme rule stays").isPresent();
    }

    @Test
    void aCallTo127001IsNeverSentByDefault() {
        WireMockServer fake = ProviderFakes.server();
        fake.stubFor(get(urlEqualTo("/guarded")).willReturn(aResponse().withStatus(200)));
        int before = fake.findAll(anyRequestedFor(urlPathEqualTo("/guarded"))).size();
        OutboundHttp http = new OutboundHttp(byDefault, OutboundProperties.defaults());

        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fake.port() + "/guarded")).build(), null))
                .isInstanceOfSatisfying(OutboundFailure.class, f -> assertThat(f.kind()).isEqualTo(OutboundFailure.Kind.REFUSED));
        assertThat(fake.findAll(anyRequestedFor(urlPathEqualTo("/guarded")))).hasSize(before);
    }

    @Test
    void aLargeBodyIsCutOffAndASlowAnswerTimesOut() {
        WireMockServer fake = ProviderFakes.server();
        fake.stubFor(get(urlEqualTo("/big")).willReturn(aResponse().withStatus(200).withBody("x".repeat(5000))));
        fake.stubFor(get(urlEqualTo("/slow")).willReturn(aResponse().withStatus(200).withBody("late").withFixedDelay(1500)));
        OutboundHttp http = new OutboundHttp(new OutboundGuard(new OutboundProperties(true, 1000L, null)),
                new OutboundProperties(true, 1000L, null));

        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(ProviderFakes.baseUrl() + "/big")).build(), null))
                .isInstanceOfSatisfying(OutboundFailure.class, f -> assertThat(f.kind()).isEqualTo(OutboundFailure.Kind.TOO_LARGE))
                .hasMessageContaining("1000 bytes");
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(ProviderFakes.baseUrl() + "/slow")).build(), Duration.ofMillis(300)))
                .isInstanceOfSatisfying(OutboundFailure.class, f -> assertThat(f.kind()).isEqualTo(OutboundFailure.Kind.TIMEOUT))
                .hasMessageContaining("300 ms");
        assertThat(fake.findAll(anyRequestedFor(anyUrl()))).isNotEmpty();
    }
}
