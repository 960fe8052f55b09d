package io.switchboard.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * One WireMock per test JVM standing in for every provider (Twilio, Meta, Evolution, OpenAI-compatible,
 * Kommo). It listens on a free port chosen at start, so several test runs on one machine never meet; the
 * {@link Initializer} points the application at it. Stubs speak the providers' real wire formats; tests
 * reset it before use.
 */
public final class ProviderFakes {

    private static WireMockServer server;

    private ProviderFakes() {
    }

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(options().dynamicPort().asynchronousResponseEnabled(true).containerThreads(40));
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return server;
    }

    /** The fake's base URL, e.g. {@code http://localhost:41234}. */
    public static String baseUrl() {
        return "http://localhost:" + server().port();
    }

    /** Forgets stubs and recorded requests of earlier tests. */
    public static WireMockServer fresh() {
        WireMockServer wireMock = server();
        wireMock.resetAll();
        return wireMock;
    }

    /** Points the application's provider base URLs at the fake before the context starts. */
    public static final class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("provider-fakes", Map.of(
                    "switchboard.twilio-api-base-url", baseUrl(),
                    "switchboard.meta-api-base-url", baseUrl(),
                    "switchboard.telegram-api-base-url", baseUrl(),
                    "switchboard.twilio-content-api-base-url", baseUrl())));
        }
    }
}
