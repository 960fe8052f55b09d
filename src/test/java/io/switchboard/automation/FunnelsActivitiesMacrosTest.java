package io.switchboard.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.conversation.ChannelOrigin;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.InboundMessage;
import io.switchboard.conversation.QueueTab;
import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Funnels, activities, macros and contact merges over the API, as an integrator would use them. */
@IntegrationTest
class FunnelsActivitiesMacrosTest {

    @Autowired
    Tenants tenants;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Autowired
    Conversations conversations;

    private Conversation customerWrites(Tenants.Tenant tenant, UUID account, String phone, String text) {
        InboundMessage inbound = new InboundMessage(tenant.id(), new ChannelOrigin(account, "twilio", QueueTab.WHATSAPP, true, null),
                phone, "Cliente", phone, "SM" + UUID.randomUUID(), text, "text", null, null, null);
        return TenantScope.call(tenant.id(), () -> conversations.ingest(inbound).conversation());
    }

    @Test
    void funnelsAreCreatedOrderedArchivedAndNewConversationsStartInTheDefaultFirstStage() {
        var tenant = tenants.create("Funnels Co");
        String admin = tenant.adminToken();
        var created = api.post("/api/v1/funnels", admin, Map.of("name", "Vendas", "stages", List.of("Novo", "Proposta", "Vendedor")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String funnel = created.json().get("id").asString();
        assertThat(created.json().get("is_default").asBoolean()).as("the first funnel is the default").isTrue();
        JsonNode stages = created.json().get("stages");
        String novo = stages.get(0).get("id").asString();
        String vendedor = stages.get(2).get("id").asString();

        assertThat(api.patch("/api/v1/funnels/" + funnel + "/stages/" + vendedor, admin, Map.of("is_human_handoff", true,
                "external_stage_id", 61420001, "move", -1)).status()).isEqualTo(200);
        assertThat(api.patch("/api/v1/funnels/" + funnel + "/stages/" + novo, admin, Map.of("archived", true)).status()).isEqualTo(200);
        JsonNode listed = api.get("/api/v1/funnels", tenant.agentToken()).json().get("items").get(0).get("stages");
        assertThat(listed).extracting(s -> s.get("name").asString()).containsExactly("Vendedor", "Proposta");
        assertThat(listed.get(0).get("is_human_handoff").asBoolean()).isTrue();
        assertThat(listed.get(0).get("external_stage_id").asLong()).isEqualTo(61420001L);

        UUID account = channels.twilioAccount(tenant, null);
        Conversation conversation = customerWrites(tenant, account, "+5511980000001", "Oi");
        assertThat(conversation.stageId()).as("the first stage not archived").hasToString(vendedor);

        var refused = api.patch("/api/v1/funnels/" + funnel, admin, Map.of("archived", true));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("default funnel cannot be archived");
    }

    @Test
    void aMacroRunsItsActionsAsThePersonAndActivitiesAreCompleted() {
        var tenant = tenants.create("Macros Co");
        UUID account = channels.twilioAccount(tenant, null);
        Conversation conversation = customerWrites(tenant, account, "+5511980000002", "Quero cancelar");
        var macro = api.post("/api/v1/macros", tenant.adminToken(), Map.of("name", "Cancelamento", "actions", List.of(
                Map.of("type", "add_tag", "value", "cancelamento"), Map.of("type", "set_priority", "value", "high"),
                Map.of("type", "create_activity", "value", "Ligar para {{contact.name}} sobre o cancelamento"))));
        assertThat(macro.status()).as(macro.body()).isEqualTo(201);
        var ran = api.post("/api/v1/conversations/" + conversation.id() + "/run_macro", tenant.agentToken(),
                Map.of("macro_id", macro.json().get("id").asString()));
        assertThat(ran.status()).as(ran.body()).isEqualTo(200);
        assertThat(ran.json().get("error").isNull()).isTrue();
        Conversation after = TenantScope.call(tenant.id(), () -> conversations.find(conversation.id()));
        assertThat(after.priority()).isEqualTo("high");
        assertThat(TenantScope.call(tenant.id(), () -> conversations.tags(conversation.id()))).containsExactly("cancelamento");

        JsonNode activities = api.get("/api/v1/contacts/" + conversation.contactId() + "/activities", tenant.agentToken()).json().get("items");
        assertThat(activities).hasSize(1);
        assertThat(activities.get(0).get("title").asString()).isEqualTo("Ligar para Cliente sobre o cancelamento");
        var done = api.post("/api/v1/activities/" + activities.get(0).get("id").asString() + "/complete", tenant.agentToken(), Map.of());
        assertThat(done.json().get("done_at").isNull()).isFalse();

        var invalid = api.post("/api/v1/macros", tenant.adminToken(), Map.of("name", "Ruim", "actions",
                List.of(Map.of("type", "set_priority", "value", "altíssima"))));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body()).contains("set_priority");
    }

    @Test
    void twoOpenConversationsOnOneChannelRefuseTheMergeWithAClearReason() {
        var tenant = tenants.create("Merge Clash Co");
        UUID account = channels.twilioAccount(tenant, null);
        Conversation first = customerWrites(tenant, account, "+5511980000003", "Oi");
        Conversation second = customerWrites(tenant, account, "+5511980000004", "Oi de novo");
        var refused = api.post("/api/v1/contacts/" + first.contactId() + "/merge", tenant.agentToken(),
                Map.of("duplicate_id", second.contactId().toString()));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("close one of them");
        assertThat(TenantScope.call(tenant.id(), () -> conversations.find(second.id()).contactId())).isEqualTo(second.contactId());

        api.post("/api/v1/conversations/" + second.id() + "/close", tenant.agentToken(), Map.of());
        var merged = api.post("/api/v1/contacts/" + first.contactId() + "/merge", tenant.agentToken(),
                Map.of("duplicate_id", second.contactId().toString()));
        assertThat(merged.status()).as(merged.body()).isEqualTo(200);
        assertThat(TenantScope.call(tenant.id(), () -> conversations.find(second.id()).contactId())).isEqualTo(first.contactId());
    }
}
