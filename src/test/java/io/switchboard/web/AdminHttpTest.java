package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.identity.Settings;
import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.SignedInSession;
import io.switchboard.support.Tenants;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The admin pages over plain HTTP: roles, an empty organization in both languages, and the write-only LLM key. */
@IntegrationTest
class AdminHttpTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Settings settings;

    @Autowired
    io.switchboard.ai.AiAgents agents;


    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void anEmptyOrganizationGetsWorkingAdminPagesInPortugueseAndEnglish() throws Exception {
        var tenant = tenants.create("Empty Admin Co");
        SignedInSession admin = new SignedInSession(api.baseUrl(), tenant.admin().email());
        for (String page : List.of("/admin/ai-agents", "/admin/ai-agents/new", "/admin/channels", "/admin/llm",
                "/admin/channels/new?type=twilio", "/admin/channels/new?type=meta_cloud", "/admin/channels/new?type=evolution",
                "/admin/channels/new?type=webchat", "/admin/channels/new?type=api")) {
            var english = admin.get(page, "Accept-Language", "en");
            assertThat(english.statusCode()).as(page).isEqualTo(200);
            assertThat(english.body()).as(page).contains("AI agents").doesNotContain("??");
            var portuguese = admin.get(page, "Accept-Language", "pt-BR");
            assertThat(portuguese.statusCode()).as(page).isEqualTo(200);
            assertThat(portuguese.body()).as(page).contains("Agentes de IA").doesNotContain("??");
        }
        assertThat(admin.get("/admin/channels/new?type=nonsense").statusCode()).isEqualTo(302);
    }

    @Test
    void anAgentWhoIsNotAnAdminIsRefusedEveryAdminPage() throws Exception {
        var tenant = tenants.create("Refused Co");
        SignedInSession agent = new SignedInSession(api.baseUrl(), tenant.agent().email());
        for (String page : List.of("/admin/ai-agents", "/admin/ai-agents/new", "/admin/channels", "/admin/llm")) {
            assertThat(agent.get(page).statusCode()).as(page).isEqualTo(403);
        }
        assertThat(agent.get("/inbox").body()).doesNotContain("/admin/ai-agents");
    }

    @Test
    void theLlmKeyIsStoredButNeverShownAndABlankKeyKeepsIt() throws Exception {
        var tenant = tenants.create("Llm Page Co");
        SignedInSession admin = new SignedInSession(api.baseUrl(), tenant.admin().email());
        var empty = admin.get("/admin/llm", "Accept-Language", "en");
        assertThat(empty.body()).contains("No key is set.").contains("offline FAQ responder");

        String csrf = SignedInSession.csrf(empty.body());
        var bad = admin.post("/admin/llm", "_csrf=" + csrf + "&base_url=" + encode("ftp://nope") + "&api_key=");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("id=\"base_url-error\"");

        var saved = admin.post("/admin/llm", "_csrf=" + csrf + "&base_url=" + encode("https://llm.example.test/v1")
                + "&api_key=sk-very-secret-key");
        assertThat(saved.statusCode()).isEqualTo(302);
        assertThat(tenant.scoped(() -> settings.secret("llm.api_key"))).contains("sk-very-secret-key");
        var page = admin.get("/admin/llm", "Accept-Language", "en");
        assertThat(page.body()).contains("A key is set.").contains("https://llm.example.test/v1").doesNotContain("sk-very-secret-key");

        admin.post("/admin/llm", "_csrf=" + csrf + "&base_url=" + encode("https://llm.example.test/v1") + "&api_key=");
        assertThat(tenant.scoped(() -> settings.secret("llm.api_key"))).as("a blank key keeps the stored one")
                .contains("sk-very-secret-key");

        admin.post("/admin/llm", "_csrf=" + csrf + "&base_url=&api_key=&remove_api_key=true");
        assertThat(tenant.scoped(() -> settings.secret("llm.api_key"))).isEmpty();
        assertThat(tenant.scoped(() -> settings.json("llm.base_url"))).isEmpty();
    }

    @Test
    void savingTheEditFormChangesTheAgentAndKeepsSettingsItDoesNotShow() throws Exception {
        var tenant = tenants.create("Edit Agent Co");
        var created = tenant.scoped(() -> agents.create(tenant.id(), new io.switchboard.ai.AiAgentDraft("Rui", null, "SDR", "p",
                null, null, null, true, null, tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                        .put("custom_key", "kept"), java.util.List.of(new io.switchboard.ai.AgentTool("adicionar_tag",
                        tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(), true)))));
        SignedInSession admin = new SignedInSession(api.baseUrl(), tenant.admin().email());
        var page = admin.get("/admin/ai-agents/" + created.id(), "Accept-Language", "en");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("value=\"Rui\"");

        String form = "_csrf=" + SignedInSession.csrf(page.body()) + "&name=Rui+Vendas&agent_type=SDR&agent_type_other=PRE_SALES"
                + "&model=gpt-4o&temperature=1,5&max_tokens=800&max_conversations=&enabled=true"
                + "&settings.history_limit=&settings.escalation.enabled=true&faq_question=Oi&faq_answer=Ol%C3%A1";
        var saved = admin.post("/admin/ai-agents/" + created.id(), form);
        assertThat(saved.statusCode()).isEqualTo(302);

        var stored = tenant.scoped(() -> agents.get(created.id()));
        assertThat(stored.name()).isEqualTo("Rui Vendas");
        assertThat(stored.agentType()).isEqualTo("PRE_SALES");
        assertThat(stored.temperature()).isEqualTo(1.5);
        assertThat(stored.maxConversations()).as("a blank limit means no limit").isNull();
        assertThat(stored.hasCapacity()).isTrue();
        assertThat(stored.tools()).as("an unticked tool without configuration is unassigned").isEmpty();
        assertThat(stored.settings().faq()).hasSize(1);
        assertThat(stored.settings().historyLimit()).isEqualTo(io.switchboard.ai.AgentSettings.DEFAULT_HISTORY_LIMIT);
        assertThat(stored.settings().raw().path("custom_key").asString()).as("keys the form does not know survive").isEqualTo("kept");

        var invalid = admin.post("/admin/ai-agents/" + created.id(), form.replace("settings.history_limit=", "settings.history_limit=999"));
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.body()).contains("id=\"settings-history_limit-error\"").contains("settings.history_limit must be between 1 and 200");
    }
}
