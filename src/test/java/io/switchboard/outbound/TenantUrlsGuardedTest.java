package io.switchboard.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every URL a tenant sets passes the outbound guard when saved. (Tests allow private addresses to reach their
 * local fakes, so the scheme rule shows the wiring here; {@link OutboundGuardTest} shows 127.0.0.1 refused by default.)
 */
@IntegrationTest
class TenantUrlsGuardedTest {

    @Autowired
    Tenants tenants;

    @Autowired
    ApiClient api;

    @Test
    void webhookProviderLlmCrmAndIntegrationUrlsAreCheckedWhenSaved() {
        var tenant = tenants.create("Guarded URLs");
        String admin = tenant.adminToken();

        var webhook = api.post("/api/v1/channel_accounts", admin, Map.of("type", "api", "name", "Backend",
                "config", Map.of("outbound_webhook_url", "file:///etc/passwd")));
        var evolution = api.post("/api/v1/channel_accounts", admin, Map.of("type", "evolution", "name", "WhatsApp",
                "config", Map.of("base_url", "gopher://evolution.internal", "instance", "loja", "api_key", "k", "webhook_secret", "w")));
        var llm = api.put("/api/v1/settings/llm", admin, Map.of("api_key", "sk-x", "base_url", "ftp://llm.internal/v1"));
        var woo = api.post("/api/v1/integrations", admin, Map.of("kind", "woocommerce", "name", "Loja",
                "settings", Map.of("site_url", "ftp://loja.internal"), "secrets", Map.of("consumer_key", "ck", "consumer_secret", "cs")));

        assertThat(webhook.status()).isEqualTo(400);
        assertThat(webhook.body()).contains("outbound_webhook_url").contains("http:// or https://");
        assertThat(evolution.status()).isEqualTo(400);
        assertThat(evolution.body()).contains("base_url");
        assertThat(llm.status()).isEqualTo(400);
        assertThat(llm.body()).contains("base_url");
        assertThat(woo.status()).isEqualTo(400);
        assertThat(woo.body()).contains("settings.site_url");
    }
}
