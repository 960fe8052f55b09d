package io.switchboard.crm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.ChannelOrigin;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.InboundMessage;
import io.switchboard.conversation.QueueTab;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.Tenants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class KommoHandoffTest {

    static final String TOKEN = "kommo-long-lived-token-abc123";
    static final long HANDOFF_STAGE = 61420001L;
    static final long QUALIFIED_STAGE = 61420002L;
    static final long PIPELINE = 7710001L;
    private static final AtomicLong LEAD_IDS = new AtomicLong(31_000_000L);

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Conversations conversations;

    @Autowired
    Contacts contacts;

    @Autowired
    CrmGuard guard;

    @Autowired
    KommoLeads leads;

    WireMockServer kommo;

    @BeforeEach
    void freshKommo() {
        kommo = ProviderFakes.fresh();
    }

    /** A customer in a web chat conversation whose contact is linked to a Kommo lead, with Kommo connected. */
    record Lead(Tenants.Tenant tenant, UUID contactId, UUID conversationId, long leadId, String webhookSecret) {
    }

    @Test
    void aLeadInTheHandoffStageKeepsTheAiSilentAndPausesTheConversation() {
        Lead lead = connectedLead("Handoff Live");
        kommoHasLead(lead.leadId(), HANDOFF_STAGE);

        CrmGuard.Decision decision = check(lead);

        assertThat(decision.aiMayAnswer()).isFalse();
        assertThat(decision.crmReachable()).isTrue();
        Conversation conversation = conversation(lead);
        assertThat(conversation.aiDisabled()).isTrue();
        assertThat(conversation.aiDisabledReason()).isEqualTo("CRM: lead is in the human handoff stage");
        assertThat(contact(lead).crmStageId()).isEqualTo(HANDOFF_STAGE);
        assertThat(eventTypes(lead)).contains("crm_stage_changed", "ai_paused");
        kommo.verify(getRequestedFor(urlEqualTo("/api/v4/leads/" + lead.leadId()))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void aLeadMovedOutOfTheHandoffStageLetsTheAiAnswerAgainAndLiftsTheCrmPause() {
        Lead lead = connectedLead("Handoff Left");
        kommoHasLead(lead.leadId(), HANDOFF_STAGE);
        assertThat(check(lead).aiMayAnswer()).isFalse();

        kommoHasLead(lead.leadId(), QUALIFIED_STAGE);
        leads.forget(lead.tenant().id(), lead.leadId()); // as if the short cache had expired
        CrmGuard.Decision decision = check(lead);

        assertThat(decision.aiMayAnswer()).isTrue();
        Conversation conversation = conversation(lead);
        assertThat(conversation.aiDisabled()).isFalse();
        assertThat(conversation.aiDisabledReason()).isNull();
        assertThat(contact(lead).crmStageId()).isEqualTo(QUALIFIED_STAGE);
        assertThat(eventTypes(lead)).contains("ai_pause_lifted");
    }

    @Test
    void leavingTheHandoffStageDoesNotLiftAPauseThatSomeoneElseSet() {
        Lead lead = connectedLead("Other Pause");
        lead.tenant().scoped(() -> {
            conversations.pauseAi(lead.conversationId(), "the AI failed three times");
            return null;
        });
        kommoHasLead(lead.leadId(), HANDOFF_STAGE);
        assertThat(check(lead).aiMayAnswer()).isFalse();
        assertThat(conversation(lead).aiDisabledReason()).isEqualTo("the AI failed three times");

        kommoHasLead(lead.leadId(), QUALIFIED_STAGE);
        leads.forget(lead.tenant().id(), lead.leadId());
        check(lead);

        assertThat(conversation(lead).aiDisabled()).isTrue();
        assertThat(conversation(lead).aiDisabledReason()).isEqualTo("the AI failed three times");
    }

    @Test
    void aWebhookMovingTheLeadIntoAndOutOfTheHandoffStagePausesAndLiftsAtOnce() {
        Lead lead = connectedLead("Webhook Moves");
        kommoHasLead(lead.leadId(), HANDOFF_STAGE);

        var entered = statusWebhook(lead.webhookSecret(), lead.leadId(), HANDOFF_STAGE, QUALIFIED_STAGE);

        assertThat(entered.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> conversation(lead).aiDisabled());
        assertThat(conversation(lead).aiDisabledReason()).isEqualTo("CRM: lead is in the human handoff stage");
        assertThat(contact(lead).crmStageId()).isEqualTo(HANDOFF_STAGE);

        kommoHasLead(lead.leadId(), QUALIFIED_STAGE);
        assertThat(statusWebhook(lead.webhookSecret(), lead.leadId(), QUALIFIED_STAGE, HANDOFF_STAGE).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> !conversation(lead).aiDisabled());
        assertThat(contact(lead).crmStageId()).isEqualTo(QUALIFIED_STAGE);
        // the webhook refreshed the cached read: the next message agrees without asking Kommo again
        assertThat(check(lead).aiMayAnswer()).isTrue();
        kommo.verify(2, getRequestedFor(urlEqualTo("/api/v4/leads/" + lead.leadId())));
    }

    @Test
    void aWebhookKommoCannotConfirmIsAppliedFromItsOwnStatus() {
        Lead lead = connectedLead("Webhook Unconfirmed");
        kommo.stubFor(get(urlEqualTo("/api/v4/leads/" + lead.leadId())).willReturn(aResponse().withStatus(503)));

        assertThat(statusWebhook(lead.webhookSecret(), lead.leadId(), HANDOFF_STAGE, QUALIFIED_STAGE).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> conversation(lead).aiDisabled());
        assertThat(contact(lead).crmStageId()).isEqualTo(HANDOFF_STAGE);
    }

    @Test
    void aWebhookWithSeveralLeadsAppliesEachOfThem() {
        Lead first = connectedLead("Webhook Many");
        long secondLeadId = LEAD_IDS.incrementAndGet();
        UUID secondConversation = conversationFor(first.tenant(), first.tenant().scoped(() -> jdbc.sql(
                "select channel_account_id from conversations where id = ?").param(first.conversationId()).query(UUID.class).single()),
                "visitor-second");
        UUID secondContact = first.tenant().scoped(() -> conversations.find(secondConversation).contactId());
        assertThat(api.put("/api/v1/contacts/" + secondContact + "/crm_lead", first.tenant().agentToken(),
                Map.of("lead_id", secondLeadId)).status()).isEqualTo(200);
        kommoHasLead(first.leadId(), HANDOFF_STAGE);
        kommoHasLead(secondLeadId, HANDOFF_STAGE);
        Map<String, String> form = new LinkedHashMap<>();
        form.putAll(statusFields(0, first.leadId(), HANDOFF_STAGE, QUALIFIED_STAGE));
        form.putAll(statusFields(1, secondLeadId, HANDOFF_STAGE, QUALIFIED_STAGE));
        form.put("account[id]", "29085955");
        form.put("account[subdomain]", "acme");

        assertThat(api.postForm("/webhooks/kommo/" + first.webhookSecret(), Channels.form(form), Map.of()).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> conversation(first).aiDisabled()
                && first.tenant().scoped(() -> conversations.find(secondConversation).aiDisabled()));
    }

    @Test
    void anUnknownWebhookSecretIs404AndAMalformedBodyIs400() {
        Lead lead = connectedLead("Webhook Errors");

        var unknown = statusWebhook("kw_not-a-secret", lead.leadId(), HANDOFF_STAGE, QUALIFIED_STAGE);
        assertThat(unknown.status()).isEqualTo(404);

        var noLeads = api.postForm("/webhooks/kommo/" + lead.webhookSecret(), "foo=bar", Map.of());
        assertThat(noLeads.status()).isEqualTo(400);
        assertThat(noLeads.header("Content-Type")).startsWith("application/problem+json");

        var badStage = api.postForm("/webhooks/kommo/" + lead.webhookSecret(), Channels.form(Map.of(
                "leads[status][0][id]", String.valueOf(lead.leadId()), "leads[status][0][status_id]", "abc")), Map.of());
        assertThat(badStage.status()).isEqualTo(400);
        assertThat(badStage.json().get("detail").asString()).contains("leads[status][0][status_id]");
        assertThat(conversation(lead).aiDisabled()).isFalse();
    }

    @Test
    void whenKommoAnswers503TheLastKnownStageDecides() {
        Lead withSalesperson = connectedLead("Down Handoff");
        Lead withAi = connectedLead("Down Qualified");
        lastKnownStage(withSalesperson, HANDOFF_STAGE);
        lastKnownStage(withAi, QUALIFIED_STAGE);
        kommo.stubFor(get(urlEqualTo("/api/v4/leads/" + withSalesperson.leadId())).willReturn(aResponse().withStatus(503)));
        kommo.stubFor(get(urlEqualTo("/api/v4/leads/" + withAi.leadId())).willReturn(aResponse().withStatus(503)));

        CrmGuard.Decision silent = check(withSalesperson);
        CrmGuard.Decision answers = check(withAi);

        assertThat(silent.aiMayAnswer()).isFalse();
        assertThat(silent.crmReachable()).isFalse();
        assertThat(conversation(withSalesperson).aiDisabled()).isTrue();
        assertThat(answers.aiMayAnswer()).isTrue();
        assertThat(answers.crmReachable()).isFalse();
        assertThat(eventTypes(withSalesperson)).contains("crm_unreachable");
        assertThat(eventTypes(withAi)).contains("crm_unreachable");
    }

    @Test
    void whenKommoTimesOutTheLastKnownStageDecidesWithinTheShortTimeout() {
        Lead withSalesperson = connectedLead("Slow Handoff");
        Lead withAi = connectedLead("Slow Qualified");
        lastKnownStage(withSalesperson, HANDOFF_STAGE);
        lastKnownStage(withAi, QUALIFIED_STAGE);
        kommo.stubFor(get(urlEqualTo("/api/v4/leads/" + withSalesperson.leadId()))
                .willReturn(okJson(leadJson(withSalesperson.leadId(), QUALIFIED_STAGE)).withFixedDelay(3_000)));
        kommo.stubFor(get(urlEqualTo("/api/v4/leads/" + withAi.leadId()))
                .willReturn(okJson(leadJson(withAi.leadId(), HANDOFF_STAGE)).withFixedDelay(3_000)));

        long started = System.nanoTime();
        CrmGuard.Decision silent = check(withSalesperson);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_900));
        CrmGuard.Decision answers = check(withAi);

        assertThat(silent.aiMayAnswer()).isFalse();
        assertThat(silent.crmReachable()).isFalse();
        assertThat(answers.aiMayAnswer()).isTrue();
        assertThat(eventTypes(withSalesperson)).contains("crm_unreachable");
        assertThat(eventTypes(withAi)).contains("crm_unreachable");
        assertThat(lastEventData(withAi, "crm_unreachable")).contains("\"reason\": \"timeout\"");
    }

    @Test
    void aBurstOfTwentyChecksForTheSameLeadReadsItFromKommoOnce() throws Exception {
        Lead lead = connectedLead("Burst");
        kommo.stubFor(get(urlEqualTo("/api/v4/leads/" + lead.leadId()))
                .willReturn(okJson(leadJson(lead.leadId(), QUALIFIED_STAGE)).withFixedDelay(200)));
        List<Callable<Boolean>> checks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            checks.add(() -> check(lead).aiMayAnswer());
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            for (Future<Boolean> allowed : pool.invokeAll(checks)) {
                assertThat(allowed.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
        kommo.verify(1, getRequestedFor(urlEqualTo("/api/v4/leads/" + lead.leadId())));
    }

    @Test
    void aDeletedLeadCountsAsNoLead() {
        Lead lead = connectedLead("Deleted Lead");
        kommo.stubFor(get(urlEqualTo("/api/v4/leads/" + lead.leadId())).willReturn(okJson(
                leadJson(lead.leadId(), HANDOFF_STAGE).replace("\"is_deleted\":false", "\"is_deleted\":true"))));

        CrmGuard.Decision decision = check(lead);

        assertThat(decision.aiMayAnswer()).isTrue();
        assertThat(conversation(lead).aiDisabled()).isFalse();
        assertThat(eventTypes(lead)).contains("crm_lead_missing");
    }

    @Test
    void withoutAConnectionOrALeadTheAiMayAnswerWithoutAskingKommo() {
        var tenant = tenants.create("No Kommo");
        UUID conversationId = conversationFor(tenant, webchatAccount(tenant), "visitor-nokommo");
        assertThat(tenant.scoped(() -> guard.beforeAiAnswers(conversationId)).aiMayAnswer()).isTrue();

        connect(tenant);
        assertThat(tenant.scoped(() -> guard.beforeAiAnswers(conversationId)).aiMayAnswer()).isTrue();
        // the shared fake may still see other tests' traffic (Twilio, the LLM): count only Kommo's API
        assertThat(kommo.findAll(anyRequestedFor(urlPathMatching("/api/v4/.*")))).isEmpty();
    }

    @Test
    void theTokenIsNeverReturnedAndIsStoredEncrypted() {
        var tenant = tenants.create("Kommo Secret");
        var saved = connect(tenant);
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.body()).doesNotContain(TOKEN);
        String secret = saved.json().get("webhook_secret").asString();
        assertThat(saved.json().get("webhook_url").asString()).endsWith("/webhooks/kommo/" + secret);

        var shown = api.get("/api/v1/crm/kommo", tenant.adminToken());

        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body()).doesNotContain(TOKEN).doesNotContain(secret);
        assertThat(shown.json().get("token_set").asBoolean()).isTrue();
        assertThat(shown.json().get("handoff_stage_id").asLong()).isEqualTo(HANDOFF_STAGE);
        assertThat(shown.json().get("base_url").asString()).isEqualTo(ProviderFakes.baseUrl());
        assertThat(shown.json().has("webhook_secret")).isFalse();
        String stored = tenant.scoped(() -> jdbc.sql("select coalesce(secret, '') || coalesce(value::text, '') from settings"
                + " where key = 'crm.kommo.token'").query(String.class).single());
        assertThat(stored).isNotEmpty().doesNotContain(TOKEN);

        // saving again keeps the token and the webhook secret unless asked to rotate
        var updated = api.put("/api/v1/crm/kommo", tenant.adminToken(), Map.of("subdomain", "acme", "handoff_stage_id", 99));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("base_url").asString()).isEqualTo("https://acme.kommo.com");
        assertThat(updated.json().get("token_set").asBoolean()).isTrue();
        assertThat(updated.json().has("webhook_secret")).isFalse();
        assertThat(statusWebhook(secret, 1, 2, 3).status()).isEqualTo(200);

        assertThat(api.delete("/api/v1/crm/kommo", tenant.adminToken()).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/crm/kommo", tenant.adminToken()).status()).isEqualTo(404);
        assertThat(statusWebhook(secret, 1, 2, 3).status()).isEqualTo(404);
    }

    @Test
    void connectingKommoNamesEveryMissingFieldAndIsForAdministratorsOnly() {
        var tenant = tenants.create("Kommo Invalid");

        var missing = api.put("/api/v1/crm/kommo", tenant.adminToken(), Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(missing.json().get("detail").asString()).contains("base_url").contains("token").contains("handoff_stage_id");

        var badUrl = api.put("/api/v1/crm/kommo", tenant.adminToken(), Map.of("base_url", "acme.kommo", "token", TOKEN,
                "handoff_stage_id", HANDOFF_STAGE));
        assertThat(badUrl.status()).isEqualTo(400);
        assertThat(badUrl.json().get("detail").asString()).contains("base_url");

        assertThat(api.put("/api/v1/crm/kommo", tenant.agentToken(), Map.of("base_url", ProviderFakes.baseUrl(),
                "token", TOKEN, "handoff_stage_id", HANDOFF_STAGE)).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/crm/kommo", tenant.agentToken()).status()).isEqualTo(403);
    }

    @Test
    void linkingALeadChecksItsStageAtOnceAndAnotherOrganizationsContactIsNotFound() {
        Lead lead = connectedLead("Link Lead");
        long newLead = LEAD_IDS.incrementAndGet();
        kommoHasLead(newLead, HANDOFF_STAGE);

        var linked = api.put("/api/v1/contacts/" + lead.contactId() + "/crm_lead", lead.tenant().agentToken(),
                Map.of("lead_id", newLead));

        assertThat(linked.status()).isEqualTo(200);
        assertThat(linked.json().get("crm_lead_id").asLong()).isEqualTo(newLead);
        assertThat(linked.json().get("crm_stage_id").asLong()).isEqualTo(HANDOFF_STAGE);
        assertThat(conversation(lead).aiDisabled()).isTrue();

        var stranger = tenants.create("Link Stranger");
        assertThat(api.put("/api/v1/contacts/" + lead.contactId() + "/crm_lead", stranger.agentToken(),
                Map.of("lead_id", 5)).status()).isEqualTo(404);
        assertThat(api.put("/api/v1/contacts/" + lead.contactId() + "/crm_lead", lead.tenant().agentToken(),
                Map.of()).status()).isEqualTo(400);
        assertThat(contact(lead).crmLeadId()).isEqualTo(newLead);
    }

    // --- the world around the lead

    private Lead connectedLead(String name) {
        var tenant = tenants.create(name);
        UUID conversationId = conversationFor(tenant, webchatAccount(tenant), "visitor-" + UUID.randomUUID());
        UUID contactId = tenant.scoped(() -> conversations.find(conversationId).contactId());
        long leadId = LEAD_IDS.incrementAndGet();
        var linked = api.put("/api/v1/contacts/" + contactId + "/crm_lead", tenant.agentToken(), Map.of("lead_id", leadId));
        assertThat(linked.status()).isEqualTo(200);
        var connected = connect(tenant);
        assertThat(connected.status()).isEqualTo(200);
        return new Lead(tenant, contactId, conversationId, leadId, connected.json().get("webhook_secret").asString());
    }

    private ApiClient.Response connect(Tenants.Tenant tenant) {
        return api.put("/api/v1/crm/kommo", tenant.adminToken(), Map.of("base_url", ProviderFakes.baseUrl(), "token", TOKEN,
                "handoff_stage_id", HANDOFF_STAGE, "pipeline_id", PIPELINE));
    }

    private UUID webchatAccount(Tenants.Tenant tenant) {
        return tenant.scoped(() -> jdbc.sql("insert into channel_accounts (organization_id, type, name) values (?, 'webchat', 'Site') returning id")
                .param(tenant.id()).query(UUID.class).single());
    }

    private UUID conversationFor(Tenants.Tenant tenant, UUID accountId, String visitor) {
        ChannelOrigin origin = new ChannelOrigin(accountId, "webchat", QueueTab.SUPPORT, true, null);
        return tenant.scoped(() -> conversations.ingest(new InboundMessage(tenant.id(), origin, visitor, "Mateus", null,
                "web-" + UUID.randomUUID(), "oi?", "text", null, null, null)).conversation().id());
    }

    private void kommoHasLead(long leadId, long stageId) {
        kommo.stubFor(get(urlEqualTo("/api/v4/leads/" + leadId)).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(okJson(leadJson(leadId, stageId))));
    }

    /** A lead as Kommo's GET /api/v4/leads/{id} returns it. */
    private static String leadJson(long leadId, long stageId) {
        return """
                {"id":%d,"name":"Mateus - site","price":0,"responsible_user_id":8541231,"group_id":0,"status_id":%d,
                 "pipeline_id":%d,"loss_reason_id":null,"created_by":0,"updated_by":8541231,"created_at":1717000000,
                 "updated_at":1717003600,"closed_at":null,"closest_task_at":null,"is_deleted":false,
                 "custom_fields_values":null,"score":null,"account_id":29085955,"labor_cost":null,
                 "_links":{"self":{"href":"https://acme.kommo.com/api/v4/leads/%d"}},"_embedded":{"tags":[],"companies":[]}}"""
                .formatted(leadId, stageId, PIPELINE, leadId);
    }

    private ApiClient.Response statusWebhook(String secret, long leadId, long statusId, long oldStatusId) {
        Map<String, String> form = new LinkedHashMap<>(statusFields(0, leadId, statusId, oldStatusId));
        form.put("account[id]", "29085955");
        form.put("account[subdomain]", "acme");
        return api.postForm("/webhooks/kommo/" + secret, Channels.form(form), Map.of());
    }

    private static Map<String, String> statusFields(int index, long leadId, long statusId, long oldStatusId) {
        String prefix = "leads[status][" + index + "]";
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(prefix + "[id]", String.valueOf(leadId));
        fields.put(prefix + "[status_id]", String.valueOf(statusId));
        fields.put(prefix + "[pipeline_id]", String.valueOf(PIPELINE));
        fields.put(prefix + "[old_status_id]", String.valueOf(oldStatusId));
        fields.put(prefix + "[old_pipeline_id]", String.valueOf(PIPELINE));
        return fields;
    }

    private void lastKnownStage(Lead lead, long stageId) {
        lead.tenant().scoped(() -> {
            contacts.recordCrmStage(lead.contactId(), stageId);
            return null;
        });
    }

    private CrmGuard.Decision check(Lead lead) {
        return lead.tenant().scoped(() -> guard.beforeAiAnswers(lead.conversationId()));
    }

    private Conversation conversation(Lead lead) {
        return lead.tenant().scoped(() -> conversations.find(lead.conversationId()));
    }

    private Contact contact(Lead lead) {
        return lead.tenant().scoped(() -> contacts.find(lead.contactId()).orElseThrow());
    }

    private List<String> eventTypes(Lead lead) {
        return lead.tenant().scoped(() -> jdbc.sql("select type from conversation_events where conversation_id = ? order by created_at")
                .param(lead.conversationId()).query(String.class).list());
    }

    private String lastEventData(Lead lead, String type) {
        return lead.tenant().scoped(() -> jdbc.sql("""
                        select data::text from conversation_events where conversation_id = ? and type = ?
                        order by created_at desc limit 1""")
                .params(lead.conversationId(), type).query(String.class).single());
    }
}
