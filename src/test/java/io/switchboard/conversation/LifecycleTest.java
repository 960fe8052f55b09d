package io.switchboard.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class LifecycleTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Channels channels;

    @Autowired
    Conversations conversations;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    InboxWork work;

    @Test
    void aConversationIdleLongerThanItsAccountAllowsIsClosedByTheSweep() {
        var tenant = tenants.create("Idle");
        UUID account = twilio(tenant, Map.of("inactivity_close_minutes", 30));
        channels.twilioMessage(account, sid(), "+5511930000001", "Oi");
        channels.twilioMessage(account, sid(), "+5511930000002", "Oi de novo");
        String idle = conversationOf(tenant, "+5511930000001");
        TenantScope.run(tenant.id(), () -> jdbc.sql("update conversations set last_message_at = now() - interval '31 minutes' where id = ?::uuid")
                .param(idle).update());

        TenantScope.asSystem(conversations::closeInactive);

        assertThat(status(tenant, idle)).isEqualTo("closed");
        assertThat(status(tenant, conversationOf(tenant, "+5511930000002"))).isEqualTo("open");
        assertThat(api.get("/api/v1/conversations/" + idle + "/events", tenant.agentToken()).body()).contains("closed_inactive");
    }

    @Test
    void aCustomerWritingToAClosedConversationReopensItWhenTheAccountSaysSo() {
        var tenant = tenants.create("Reopen");
        UUID account = twilio(tenant, Map.of("reopen_closed", true));
        channels.twilioMessage(account, sid(), "+5511930000003", "Oi");
        String id = conversationOf(tenant, "+5511930000003");
        api.post("/api/v1/conversations/" + id + "/close", tenant.agentToken(), Map.of());

        channels.twilioMessage(account, sid(), "+5511930000003", "Voltei");

        assertThat(status(tenant, id)).isEqualTo("open");
        assertThat(api.get("/api/v1/conversations?queue=open", tenant.agentToken()).json().get("items").size()).isEqualTo(1);
    }

    @Test
    void aCustomerWritingToAClosedConversationGetsANewOneWhenTheAccountSaysSo() {
        var tenant = tenants.create("New Each Time");
        UUID account = twilio(tenant, Map.of("reopen_closed", false));
        channels.twilioMessage(account, sid(), "+5511930000004", "Oi");
        String first = conversationOf(tenant, "+5511930000004");
        api.post("/api/v1/conversations/" + first + "/close", tenant.agentToken(), Map.of());

        channels.twilioMessage(account, sid(), "+5511930000004", "Nova dúvida");

        assertThat(status(tenant, first)).isEqualTo("closed");
        var all = api.get("/api/v1/conversations", tenant.agentToken()).json();
        assertThat(all.get("items").size()).isEqualTo(2);
    }

    @Test
    void aCustomerWritingToASnoozedConversationBringsItBackAtOnce() {
        var tenant = tenants.create("Snoozed");
        UUID account = twilio(tenant, Map.of());
        channels.twilioMessage(account, sid(), "+5511930000007", "Oi");
        UUID id = UUID.fromString(conversationOf(tenant, "+5511930000007"));
        TenantScope.run(tenant.id(), () -> work.snooze(id, java.time.Instant.now().plusSeconds(3600), null));
        assertThat(TenantScope.call(tenant.id(), () -> work.snoozedUntil(id))).isNotNull();

        channels.twilioMessage(account, sid(), "+5511930000007", "Ainda estou esperando");

        assertThat(TenantScope.call(tenant.id(), () -> work.snoozedUntil(id))).isNull();
    }

    @Test
    void conversationsAreFoundByContactNamePhoneOrMessageText() {
        var tenant = tenants.create("Search");
        UUID account = twilio(tenant, Map.of());
        channels.twilioMessage(account, sid(), "+5511930000005", "Quero a segunda via do boleto");
        channels.twilioMessage(account, sid(), "+5511930000006", "Qual o prazo de entrega?");

        assertThat(search(tenant, "boleto")).containsExactly("+5511930000005");
        assertThat(search(tenant, "930000006")).containsExactly("+5511930000006");
        assertThat(search(tenant, "maria")).hasSize(2);
        assertThat(search(tenant, "100%_sure")).isEmpty();
        assertThat(search(tenants.create("Search Other"), "boleto")).as("never another organization's").isEmpty();
    }

    private java.util.List<String> search(Tenants.Tenant tenant, String query) {
        var found = api.get("/api/v1/conversations?q=" + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8),
                tenant.agentToken()).json().get("items");
        java.util.List<String> phones = new java.util.ArrayList<>();
        found.forEach(c -> phones.add(c.get("contact").get("phone").asString()));
        return phones;
    }

    private UUID twilio(Tenants.Tenant tenant, Map<String, Object> options) {
        var body = new java.util.HashMap<String, Object>(Map.of("type", "twilio", "name", "WhatsApp", "config",
                Map.of("account_sid", Channels.twilioSid(tenant), "auth_token", Channels.TWILIO_TOKEN, "from", "whatsapp:+14155238886")));
        body.putAll(options);
        return channels.create(tenant, body);
    }

    private String conversationOf(Tenants.Tenant tenant, String phone) {
        for (var c : api.get("/api/v1/conversations?limit=50", tenant.agentToken()).json().get("items")) {
            if (phone.equals(c.get("contact").get("phone").asString())) {
                return c.get("id").asString();
            }
        }
        throw new AssertionError("no conversation with " + phone);
    }

    private String status(Tenants.Tenant tenant, String id) {
        return api.get("/api/v1/conversations/" + id, tenant.agentToken()).json().get("status").asString();
    }

    private static String sid() {
        return "SM" + UUID.randomUUID().toString().replace("-", "");
    }
}
