package io.switchboard.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * SPEC §3.2: the stage a new conversation starts in is the integration's choice, else its channel account's, else the
 * organization's default funnel's first stage. Each level is one customer through the API channel (an integration).
 */
@IntegrationTest
class StartStagePrecedenceTest {

    @Autowired
    Tenants tenants;

    @Autowired
    ApiClient api;

    @Autowired
    Conversations conversations;

    @Test
    void theIntegrationsStageWinsThenTheChannelAccountsThenTheDefaultFunnelsFirst() {
        Tenants.Tenant tenant = tenants.create("Start Stage Co");
        String admin = tenant.adminToken();
        JsonNode sales = api.post("/api/v1/funnels", admin, Map.of("name", "Vendas", "stages", List.of("Entrada", "Proposta"))).json();
        JsonNode support = api.post("/api/v1/funnels", admin, Map.of("name", "Suporte", "stages", List.of("Triagem", "Resolvido"))).json();
        String entrada = sales.get("stages").get(0).get("id").asString();
        String proposta = sales.get("stages").get(1).get("id").asString();
        String triagem = support.get("stages").get(0).get("id").asString();

        String plain = account(admin, "Loja online", Map.of());
        String withStage = account(admin, "Portal de suporte", Map.of("default_stage_id", triagem));

        assertThat(stageOf(tenant, post(admin, plain, "+5511970000101", null))).as("organization default: its first stage")
                .isEqualTo(entrada);
        assertThat(stageOf(tenant, post(admin, withStage, "+5511970000102", null))).as("the channel account's stage")
                .isEqualTo(triagem);
        assertThat(stageOf(tenant, post(admin, withStage, "+5511970000103", proposta))).as("the integration's stage wins")
                .isEqualTo(proposta);

        ApiClient.Response foreign = api.post("/api/v1/channels/api/" + plain + "/messages", admin, Map.of(
                "external_id", "ext-" + UUID.randomUUID(), "from", Map.of("identifier", "+5511970000104"), "text", "Oi",
                "stage_id", UUID.randomUUID()));
        assertThat(foreign.status()).as("a stage that is not this organization's").isEqualTo(400);
        assertThat(foreign.body()).contains("stage_id");
        assertThat(api.get("/api/v1/conversations?q=5511970000104", admin).json().get("items")).as("nothing stored").isEmpty();
    }

    private String account(String admin, String name, Map<String, Object> config) {
        ApiClient.Response created = api.post("/api/v1/channel_accounts", admin, Map.of("type", "api", "name", name, "config", config));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private String post(String admin, String account, String phone, String stageId) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("external_id", "ext-" + UUID.randomUUID(),
                "from", Map.of("identifier", phone, "phone", phone), "text", "Olá, preciso de ajuda"));
        if (stageId != null) {
            body.put("stage_id", stageId);
        }
        ApiClient.Response accepted = api.post("/api/v1/channels/api/" + account + "/messages", admin, body);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        return accepted.json().get("conversation_id").asString();
    }

    private String stageOf(Tenants.Tenant tenant, String conversationId) {
        return String.valueOf(TenantScope.call(tenant.id(), () -> conversations.find(UUID.fromString(conversationId)).stageId()));
    }
}
