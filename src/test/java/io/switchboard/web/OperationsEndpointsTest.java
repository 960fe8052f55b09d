package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@IntegrationTest
class OperationsEndpointsTest {

    @Autowired
    ApiClient api;

    @Test
    void healthIsUpWithoutCredentials() {
        var health = api.get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusExposesJvmAndHttpMetricsToTheInstanceOperator() {
        // the bootstrap token is an instance operator's; without a token metrics are refused (SecurityFindingsTest)
        var metrics = api.get("/actuator/prometheus", "sb_bootstrap_token_for_tests_only");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("hikaricp_connections");
    }

    @Test
    void theOpenApiDocumentDescribesTheRestApi() {
        var docs = api.get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().get("paths").toString()).contains("/api/v1/conversations").contains("/api/v1/channel_accounts")
                .contains("/api/v1/ai_agents").contains("/api/v1/me");
        assertThat(api.get("/swagger-ui/index.html", null).status()).isEqualTo(200);
    }
}
