package io.switchboard.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * One WireMock per test JVM standing in for every provider (Twilio, Meta, Evolution, OpenAI-compatible,
 * Kommo), on the fixed port the test configuration points the application at. Stubs speak the providers'
 * real wire formats; tests reset it before use.
 */
public final class ProviderFakes {

    public static final int PORT = 18089;
    public static final String BASE_URL = "http://localhost:" + PORT;

    private static WireMockServer server;

    private ProviderFakes() {
    }

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(options().port(PORT).asynchronousResponseEnabled(true).containerThreads(40));
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return server;
    }

    /** Forgets stubs and recorded requests of earlier tests. */
    public static WireMockServer fresh() {
        WireMockServer wireMock = server();
        wireMock.resetAll();
        return wireMock;
    }
}
