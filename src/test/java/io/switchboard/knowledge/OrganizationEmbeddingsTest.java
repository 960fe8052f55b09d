package io.switchboard.knowledge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.Tenants;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** An organization embeds with its own OpenAI-compatible /embeddings endpoint; each vector records its model. */
@IntegrationTest
class OrganizationEmbeddingsTest {

    static final String EMBEDDINGS = "/v1/embeddings";

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    KnowledgeBases bases;

    @Autowired
    JdbcClient jdbc;

    @Test
    void chunksAndQuestionsAreEmbeddedByTheOrganizationsEndpointAndSwitchingBackReembedsThem() {
        WireMockServer fake = ProviderFakes.fresh();
        // OpenAI's wire format; every text here is one input, so one vector answers it
        fake.stubFor(post(urlEqualTo(EMBEDDINGS)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("""
                        {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2,0.3,0.4]}],
                         "model":"text-embedding-3-small","usage":{"prompt_tokens":8,"total_tokens":8}}""")));
        var tenant = tenants.create("Embeddings Co");
        String key = "sk-emb-" + tenant.id();
        var set = api.put("/api/v1/settings/embeddings", tenant.adminToken(),
                Map.of("base_url", ProviderFakes.baseUrl() + "/v1", "model", "text-embedding-3-small", "api_key", key));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get("active_model").asString()).isEqualTo("openai-compatible:text-embedding-3-small");
        assertThat(set.json().get("api_key_set").asBoolean()).isTrue();
        assertThat(set.body()).doesNotContain(key);

        UUID baseId = tenant.scoped(() -> {
            KnowledgeBase base = bases.create("Entregas", null);
            bases.upload(base.id(), "entregas.txt", "text/plain",
                    "O frete é grátis para compras acima de R$ 299 no Sul e Sudeste.".getBytes(StandardCharsets.UTF_8), null);
            return base.id();
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> tenant.scoped(() -> bases.documents(baseId)).stream()
                .allMatch(d -> d.status() == KnowledgeDocument.Status.READY));
        assertThat(chunkModels(tenant)).containsExactly("openai-compatible:text-embedding-3-small 4");
        assertThat(fake.findAll(postRequestedFor(urlEqualTo(EMBEDDINGS)).withHeader("Authorization", equalTo("Bearer " + key))
                .withRequestBody(containing("\"model\":\"text-embedding-3-small\"")).withRequestBody(containing("frete é grátis")))).isNotEmpty();

        // the question is embedded by the same endpoint and model as the chunks, and the passage is found
        var found = api.post("/api/v1/knowledge_bases/" + baseId + "/search", tenant.adminToken(), Map.of("query", "o frete é grátis?"));
        assertThat(found.status()).as(found.body()).isEqualTo(200);
        assertThat(found.body()).contains("compras acima de R$ 299");
        assertThat(fake.findAll(postRequestedFor(urlEqualTo(EMBEDDINGS)).withRequestBody(containing("o frete é grátis?"))
                .withRequestBody(containing("\"model\":\"text-embedding-3-small\"")))).hasSize(1);

        // back to the in-process model: the chunks are embedded again, never left with vectors of the other model
        assertThat(api.put("/api/v1/settings/embeddings", tenant.adminToken(), Map.of("model", "")).json()
                .get("active_model").asString()).isEqualTo("all-minilm-l6-v2");
        await().atMost(Duration.ofSeconds(60)).until(() -> chunkModels(tenant).equals(List.of("all-minilm-l6-v2 384")));
    }

    private List<String> chunkModels(Tenants.Tenant tenant) {
        return TenantScope.call(tenant.id(), () -> jdbc.sql(
                        "select distinct embedding_model || ' ' || array_length(embedding, 1) from knowledge_chunks where organization_id = ?")
                .param(tenant.id()).query(String.class).list());
    }
}
