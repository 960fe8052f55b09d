package io.switchboard.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The API's list, counts, search and message pages: keyset cursors, accent-insensitive search, clear 400s. */
@IntegrationTest
class ConversationReadsApiTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Conversations conversations;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    io.switchboard.contact.Contacts contacts;

    private Conversation customerWrites(Tenants.Tenant tenant, String name, String text) {
        return TenantScope.call(tenant.id(), () -> {
            UUID account = jdbc.sql("insert into channel_accounts (organization_id, type, name) values (?, 'webchat', 'Site') returning id")
                    .param(tenant.id()).query(UUID.class).single();
            InboundMessage inbound = new InboundMessage(tenant.id(), new ChannelOrigin(account, "webchat", QueueTab.SUPPORT, true, null),
                    "visitor-" + UUID.randomUUID(), name, null, null, text, "text", null, null, null);
            return conversations.ingest(inbound).conversation();
        });
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void pagesFollowTheCursorInInboxOrderWithoutRepeatsOrGaps() {
        var tenant = tenants.create("Paging Co");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(customerWrites(tenant, "Cliente " + i, "mensagem " + i).id().toString());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.get("/api/v1/conversations?limit=3" + (cursor == null ? "" : "&cursor=" + q(cursor)),
                    tenant.agentToken()).json();
            page.get("items").forEach(c -> seen.add(c.get("id").asString()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        // latest activity first: the reverse of the order they were written in
        java.util.Collections.reverse(created);
        assertThat(seen).containsExactlyElementsOf(created);
    }

    @Test
    void eachConversationOfAPageCarriesItsOwnContactAndTags() {
        var tenant = tenants.create("Tagged Page Co");
        Conversation vip = customerWrites(tenant, "Bia VIP", "oi");
        Conversation plain = customerWrites(tenant, "Caio", "olá");
        Conversation urgent = customerWrites(tenant, "Duda", "socorro");
        TenantScope.run(tenant.id(), () -> {
            contacts.tag(vip.contactId(), "vip");
            contacts.tag(vip.contactId(), "atacado");
            conversations.addTag(vip.id(), "troca");
            conversations.addTag(urgent.id(), "urgente");
        });
        java.util.Map<String, JsonNode> byId = new java.util.HashMap<>();
        api.get("/api/v1/conversations", tenant.agentToken()).json().get("items").forEach(c -> byId.put(c.get("id").asString(), c));
        assertThat(byId).hasSize(3);
        JsonNode first = byId.get(vip.id().toString());
        assertThat(first.get("contact").get("name").asString()).isEqualTo("Bia VIP");
        assertThat(first.get("contact").get("tags").toString()).isEqualTo("[\"atacado\",\"vip\"]");
        assertThat(first.get("tags").toString()).isEqualTo("[\"troca\"]");
        assertThat(byId.get(plain.id().toString()).get("contact").get("name").asString()).isEqualTo("Caio");
        assertThat(byId.get(plain.id().toString()).get("tags").toString()).isEqualTo("[]");
        assertThat(byId.get(plain.id().toString()).get("contact").get("tags").toString()).isEqualTo("[]");
        assertThat(byId.get(urgent.id().toString()).get("tags").toString()).isEqualTo("[\"urgente\"]");
        assertThat(byId.get(urgent.id().toString()).get("contact").get("name").asString()).isEqualTo("Duda");
    }

    @Test
    void aCursorOrLimitThatCannotBeReadIsA400SayingWhatIsWrong() {
        var tenant = tenants.create("Bad Params Co");
        String conversation = customerWrites(tenant, "Ana", "oi").id().toString();
        var badCursor = api.get("/api/v1/conversations?cursor=not-a-cursor", tenant.agentToken());
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.header("Content-Type")).startsWith("application/problem+json");
        assertThat(badCursor.json().get("detail").asString()).contains("cursor").contains("next_cursor");
        assertThat(api.get("/api/v1/conversations?limit=0", tenant.agentToken()).json().get("detail").asString())
                .contains("limit").contains("1 to 200");
        assertThat(api.get("/api/v1/conversations?limit=lots", tenant.agentToken()).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/conversations?queue=everything", tenant.agentToken()).json().get("detail").asString())
                .contains("queue");
        assertThat(api.get("/api/v1/conversations?status=done", tenant.agentToken()).json().get("detail").asString())
                .contains("status");
        var badBefore = api.get("/api/v1/conversations/" + conversation + "/messages?before=yesterday", tenant.agentToken());
        assertThat(badBefore.status()).isEqualTo(400);
        assertThat(badBefore.json().get("detail").asString()).contains("before");
        var foreignBefore = api.get("/api/v1/conversations/" + conversation + "/messages?before=" + UUID.randomUUID(),
                tenant.agentToken());
        assertThat(foreignBefore.status()).isEqualTo(400);
        assertThat(foreignBefore.json().get("detail").asString()).contains("not a message of this conversation");
    }

    @Test
    void searchIgnoresAccentsAndCaseInContactsAndMessages() {
        var tenant = tenants.create("Search Accents Co");
        String conceicao = customerWrites(tenant, "Maria da Conceição", "Olá").id().toString();
        String pedido = customerWrites(tenant, "Joao", "Meu PEDIDO não chegou até agora").id().toString();
        customerWrites(tenant, "Outra Pessoa", "bom dia");

        assertThat(search(tenant, "conceicao")).containsExactly(conceicao);
        assertThat(search(tenant, "CONCEIÇÃO")).containsExactly(conceicao);
        assertThat(search(tenant, "nao chegou")).containsExactly(pedido);
        assertThat(search(tenant, "pedid")).as("a word's beginning").containsExactly(pedido);
        assertThat(search(tenant, "ate")).as("até, without the accent").containsExactly(pedido);
        assertThat(search(tenant, "inexistente")).isEmpty();
    }

    private List<String> search(Tenants.Tenant tenant, String text) {
        List<String> ids = new ArrayList<>();
        api.get("/api/v1/conversations?q=" + q(text), tenant.agentToken()).json().get("items")
                .forEach(c -> ids.add(c.get("id").asString()));
        return ids;
    }

    @Test
    void countsFollowTheOpenQueuesAndStatuses() {
        var tenant = tenants.create("Counts Co");
        Conversation first = customerWrites(tenant, "Um", "oi");
        customerWrites(tenant, "Dois", "oi");
        JsonNode counts = api.get("/api/v1/conversations/counts", tenant.agentToken()).json();
        assertThat(counts.get("open").asLong()).isEqualTo(2);
        long waiting = counts.get("statuses").get("waiting").asLong();
        assertThat(counts.get("waiting_support").asLong()).isEqualTo(waiting);

        api.post("/api/v1/conversations/" + first.id() + "/assign", tenant.agentToken(), java.util.Map.of("user_id", tenant.agent().id()));
        counts = api.get("/api/v1/conversations/counts", tenant.agentToken()).json();
        assertThat(counts.get("mine").asLong()).isEqualTo(1);

        api.post("/api/v1/conversations/" + first.id() + "/close", tenant.agentToken(), java.util.Map.of());
        counts = api.get("/api/v1/conversations/counts", tenant.agentToken()).json();
        assertThat(counts.get("open").asLong()).isEqualTo(1);
        assertThat(counts.get("mine").asLong()).isZero();
    }

    @Test
    void messagesComeNewestPageFirstAndOlderPagesByCursorOldestToNewestWithinEach() {
        var tenant = tenants.create("Long History Co");
        Conversation conversation = customerWrites(tenant, "Falante", "mensagem 0");
        TenantScope.run(tenant.id(), () -> jdbc.sql("""
                        insert into messages (organization_id, conversation_id, channel_account_id, direction, sender_type,
                                              content, created_at)
                        select organization_id, id, channel_account_id, 'inbound', 'contact', 'mensagem ' || i,
                               now() + i * interval '1 second'
                        from conversations, generate_series(1, 59) i where id = ?""")
                .param(conversation.id()).update());

        String path = "/api/v1/conversations/" + conversation.id() + "/messages?limit=25";
        JsonNode newest = api.get(path, tenant.agentToken()).json();
        assertThat(contents(newest)).hasSize(25).startsWith("mensagem 35").endsWith("mensagem 59");
        JsonNode middle = api.get(path + "&before=" + newest.get("before_cursor").asString(), tenant.agentToken()).json();
        assertThat(contents(middle)).hasSize(25).startsWith("mensagem 10").endsWith("mensagem 34");
        assertThat(middle.get("next_cursor").asString()).isEqualTo(middle.get("before_cursor").asString());
        JsonNode oldest = api.get(path + "&before=" + middle.get("before_cursor").asString(), tenant.agentToken()).json();
        assertThat(contents(oldest)).hasSize(10).startsWith("mensagem 0").endsWith("mensagem 9");
        assertThat(oldest.get("before_cursor").isNull()).isTrue();
    }

    private static List<String> contents(JsonNode page) {
        List<String> contents = new ArrayList<>();
        page.get("items").forEach(m -> contents.add(m.get("content").asString()));
        return contents;
    }
}
