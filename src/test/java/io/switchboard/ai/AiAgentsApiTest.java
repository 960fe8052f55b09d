package io.switchboard.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class AiAgentsApiTest {

    private static final String AGENTS = "/api/v1/ai_agents";

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    AiAgents agents;

    @Autowired
    io.switchboard.ai.tools.ToolRegistry registry;

    @Test
    void anAdminCreatesReadsUpdatesAndDeletesAnAgent() {
        var tenant = tenants.create("Agents CRUD");
        var created = api.post(AGENTS, tenant.adminToken(), """
                {"name": "Sofia", "description": "Pré-vendas", "agent_type": "sdr", "prompt": "Você é a Sofia.",
                 "model": "gpt-4o-mini", "temperature": 0.4, "max_tokens": 800, "max_conversations": 30,
                 "settings": {"response_delay_min": 2, "response_delay_max": 5, "welcome_message": "Olá!",
                              "faq": [{"question": "Horário?", "answer": "9h às 18h"}], "custom_flag": "kept"},
                 "tools": ["adicionar_tag", {"slug": "transferir_para_agente", "config": {"fila": "vendas"}}]}""");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode agent = created.json();
        String id = agent.get("id").asString();
        assertThat(agent.get("agent_type").asString()).isEqualTo("SDR");
        assertThat(agent.get("temperature").doubleValue()).isEqualTo(0.4);
        assertThat(agent.get("max_conversations").asInt()).isEqualTo(30);
        assertThat(agent.get("enabled").booleanValue()).isTrue();
        JsonNode settings = agent.get("settings");
        assertThat(settings.get("response_delay_max").asInt()).isEqualTo(5);
        assertThat(settings.get("history_limit").asInt()).as("default applied").isEqualTo(20);
        assertThat(settings.get("turn_timeout_seconds").asInt()).isEqualTo(120);
        assertThat(settings.get("max_tool_rounds").asInt()).isEqualTo(5);
        assertThat(settings.get("escalation").get("max_customer_messages").asInt()).isEqualTo(20);
        assertThat(settings.get("custom_flag").asString()).as("unknown keys survive").isEqualTo("kept");
        assertThat(settings.get("faq").get(0).get("answer").asString()).isEqualTo("9h às 18h");
        assertThat(agent.get("tools")).hasSize(2);
        assertThat(agent.get("tools").get(1).get("slug").asString()).isEqualTo("transferir_para_agente");
        assertThat(agent.get("tools").get(1).get("config").get("fila").asString()).isEqualTo("vendas");

        assertThat(api.get(AGENTS + "/" + id, tenant.agentToken()).json()).isEqualTo(agent);
        assertThat(api.get(AGENTS, tenant.agentToken()).json()).hasSize(1);

        var updated = api.patch(AGENTS + "/" + id, tenant.adminToken(), """
                {"temperature": 1.2, "enabled": false, "settings": {"response_delay_max": 8, "welcome_message": null},
                 "tools": ["encerrar_conversa"]}""");
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().get("temperature").doubleValue()).isEqualTo(1.2);
        assertThat(updated.json().get("enabled").booleanValue()).isFalse();
        assertThat(updated.json().get("name").asString()).as("untouched fields stay").isEqualTo("Sofia");
        assertThat(updated.json().get("settings").get("response_delay_min").asInt()).as("settings are merged").isEqualTo(2);
        assertThat(updated.json().get("settings").get("response_delay_max").asInt()).isEqualTo(8);
        assertThat(updated.json().get("settings").get("welcome_message").isNull()).isTrue();
        assertThat(updated.json().get("tools")).hasSize(1);
        assertThat(updated.json().get("tools").get(0).get("slug").asString()).isEqualTo("encerrar_conversa");

        assertThat(api.delete(AGENTS + "/" + id, tenant.adminToken()).status()).isEqualTo(204);
        assertThat(api.get(AGENTS + "/" + id, tenant.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void eachInvalidValueIsRefusedWithA400NamingTheField() {
        var tenant = tenants.create("Agents validation");

        assertRefused(tenant.adminToken(), Map.of("name", "A", "temperature", 2.5), "temperature");
        assertRefused(tenant.adminToken(), Map.of("name", "A", "max_tokens", 0), "max_tokens");
        assertRefused(tenant.adminToken(), Map.of("name", "A", "settings",
                Map.of("response_delay_min", 10, "response_delay_max", 3)), "response_delay_min");
        assertRefused(tenant.adminToken(), Map.of("name", "A", "settings", Map.of("context_timer_seconds", -5)),
                "settings.context_timer_seconds");
        assertRefused(tenant.adminToken(), Map.of("name", "A", "settings", Map.of("turn_timeout_seconds", -1)),
                "settings.turn_timeout_seconds");
        assertRefused(tenant.adminToken(), Map.of("name", "A", "settings", Map.of("history_limit", "lots")),
                "settings.history_limit");
        assertRefused(tenant.adminToken(), Map.of("description", "no name"), "name");
        assertRefused(tenant.adminToken(), Map.of("name", "A", "temperature", "warm"), "temperature");
        assertRefused(tenant.adminToken(), Map.of("name", "A", "temprature", 1), "unexpected field 'temprature'");
        assertRefused(tenant.adminToken(), Map.of("name", "A", "agent_type", "sales person!"), "agent_type");

        var unknownTool = api.post(AGENTS, tenant.adminToken(), Map.of("name", "A", "tools", List.of("voar")));
        assertThat(unknownTool.status()).isEqualTo(400);
        assertThat(unknownTool.json().get("detail").asString())
                .startsWith("unknown tool 'voar'; available: ")
                .contains("adicionar_tag", "agendar_followup", "mover_para_etapa");

        assertThat(api.get(AGENTS, tenant.adminToken()).json()).as("nothing was created").isEmpty();
    }

    @Test
    void anUpdateIsValidatedLikeACreation() {
        var tenant = tenants.create("Agents update validation");
        String id = api.post(AGENTS, tenant.adminToken(), Map.of("name", "Leo")).json().get("id").asString();

        var response = api.patch(AGENTS + "/" + id, tenant.adminToken(), Map.of("max_tokens", -3));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("max_tokens");
        assertThat(api.get(AGENTS + "/" + id, tenant.adminToken()).json().get("max_tokens").asInt()).isEqualTo(1000);
    }

    @Test
    void anotherOrganizationsAgentIsNotFound() {
        var owner = tenants.create("Agents owner");
        var stranger = tenants.create("Agents stranger");
        String id = api.post(AGENTS, owner.adminToken(), Map.of("name", "Private")).json().get("id").asString();

        assertThat(api.get(AGENTS + "/" + id, stranger.adminToken()).status()).isEqualTo(404);
        assertThat(api.patch(AGENTS + "/" + id, stranger.adminToken(), Map.of("name", "Stolen")).status()).isEqualTo(404);
        assertThat(api.delete(AGENTS + "/" + id, stranger.adminToken()).status()).isEqualTo(404);
        assertThat(api.get(AGENTS, stranger.adminToken()).json()).isEmpty();
        assertThat(api.get(AGENTS + "/" + id, owner.adminToken()).json().get("name").asString()).isEqualTo("Private");
    }

    @Test
    void anAgentMayReadAgentsButNotChangeThem() {
        var tenant = tenants.create("Agents roles");
        String id = api.post(AGENTS, tenant.adminToken(), Map.of("name", "Ana")).json().get("id").asString();

        assertThat(api.post(AGENTS, tenant.agentToken(), Map.of("name", "Mine")).status()).isEqualTo(403);
        assertThat(api.patch(AGENTS + "/" + id, tenant.agentToken(), Map.of("name", "X")).status()).isEqualTo(403);
        assertThat(api.delete(AGENTS + "/" + id, tenant.agentToken()).status()).isEqualTo(403);
        assertThat(api.get(AGENTS + "/" + id, tenant.agentToken()).status()).isEqualTo(200);
        assertThat(api.get(AGENTS, null).status()).isEqualTo(401);
    }

    @Test
    void aToolSwitchedOffByTheOrganizationIsNoLongerAvailableToItsAgents() {
        var tenant = tenants.create("Agents tool switch");
        var created = api.post(AGENTS, tenant.adminToken(), Map.of("name", "Bia",
                "tools", List.of("adicionar_tag", Map.of("slug", "encerrar_conversa", "enabled", false), "mover_para_etapa")));
        var id = java.util.UUID.fromString(created.json().get("id").asString());

        assertThat(tenant.scoped(() -> agents.assignedTools(id)).stream().map(AssignedTool::slug))
                .containsExactly("adicionar_tag", "mover_para_etapa");

        var switched = api.patch("/api/v1/ai_tools/adicionar_tag", tenant.adminToken(), Map.of("enabled", false));
        assertThat(switched.status()).as(switched.body()).isEqualTo(200);
        assertThat(switched.json().get("enabled").booleanValue()).isFalse();

        assertThat(tenant.scoped(() -> agents.assignedTools(id)).stream().map(AssignedTool::slug))
                .containsExactly("mover_para_etapa");
        var listed = api.get("/api/v1/ai_tools", tenant.agentToken()).json();
        assertThat(listed).hasSize(registry.all().size()); // every built-in tool, the switched-off one included
        assertThat(listed.values().stream().filter(tool -> tool.get("slug").asString().equals("adicionar_tag")))
                .singleElement().satisfies(tool -> assertThat(tool.get("enabled").booleanValue()).isFalse());
        assertThat(api.patch("/api/v1/ai_tools/adicionar_tag", tenant.agentToken(), Map.of("enabled", true)).status())
                .isEqualTo(403);
    }

    private void assertRefused(String token, Object body, String mention) {
        var response = api.post(AGENTS, token, body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).contains("problem+json");
        assertThat(response.json().get("detail").asString()).contains(mention);
    }
}
