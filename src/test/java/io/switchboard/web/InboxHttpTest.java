package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.conversation.ChannelOrigin;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.SenderType;
import io.switchboard.conversation.InboundMessage;
import io.switchboard.conversation.QueueTab;
import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.SignedInSession;
import io.switchboard.support.Tenants;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The UI over plain HTTP: languages, tenant boundaries, CSRF and the live stream. */
@IntegrationTest
class InboxHttpTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Conversations conversations;

    @Autowired
    JdbcClient jdbc;



    Conversation customerWrites(Tenants.Tenant tenant, String text) {
        return TenantScope.call(tenant.id(), () -> {
            UUID account = jdbc.sql("insert into channel_accounts (organization_id, type, name) values (?, 'webchat', 'Site') returning id")
                    .param(tenant.id()).query(UUID.class).single();
            InboundMessage inbound = new InboundMessage(tenant.id(), new ChannelOrigin(account, "webchat", QueueTab.SUPPORT, true, null),
                    "visitor-" + UUID.randomUUID(), "Visitante", null, null, text, "text", null, null, null);
            return conversations.ingest(inbound).conversation();
        });
    }

    @Test
    void theLoginPageSpeaksTheBrowsersLanguageUntilThePersonPicksAnother() {
        var portuguese = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/login"))
                .header("Accept-Language", "pt-BR,pt;q=0.9").build());
        assertThat(portuguese.body()).contains("Senha").contains("lang=\"pt-BR\"");

        var english = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/login?lang=en"))
                .header("Accept-Language", "pt-BR,pt;q=0.9").build());
        assertThat(english.body()).contains("Password");
        assertThat(english.header("Set-Cookie")).contains("switchboard-lang=en");
    }

    @Test
    void anEmptyOrganizationGetsAnEmptyInboxNotAnError() throws Exception {
        var tenant = tenants.create("Empty Co");
        SignedInSession session = new SignedInSession(api.baseUrl(), tenant.agent().email());
        var home = session.get("/");
        assertThat(home.statusCode()).isEqualTo(302);
        assertThat(home.headers().firstValue("Location").orElse("")).endsWith("/inbox");
        for (String tab : List.of("MINE", "WAITING_WHATSAPP", "WAITING_SUPPORT", "AI", "OPEN", "CLOSED", "nonsense")) {
            var page = session.get("/inbox?tab=" + tab, "Accept-Language", "en");
            assertThat(page.statusCode()).as(tab).isEqualTo(200);
            assertThat(page.body()).contains("Nothing here right now");
        }
    }

    @Test
    void nobodySeesAnotherOrganizationsConversation() throws Exception {
        var mine = tenants.create("Mine Co");
        var theirs = tenants.create("Theirs Co");
        Conversation foreign = customerWrites(theirs, "segredo");
        SignedInSession session = new SignedInSession(api.baseUrl(), mine.agent().email());
        assertThat(session.get("/inbox/conversations/" + foreign.id()).statusCode()).isEqualTo(404);
        assertThat(session.get("/inbox?tab=OPEN").body()).doesNotContain("segredo");
    }

    @Test
    void aFormPostWithoutTheCsrfTokenIsRefused() throws Exception {
        var tenant = tenants.create("Csrf Co");
        Conversation conversation = customerWrites(tenant, "oi");
        SignedInSession session = new SignedInSession(api.baseUrl(), tenant.agent().email());
        var response = session.post("/inbox/conversations/" + conversation.id() + "/close", "");
        assertThat(response.statusCode()).isEqualTo(403);
        var page = session.get("/inbox/conversations/" + conversation.id());
        assertThat(session.post("/inbox/conversations/" + conversation.id() + "/close", "_csrf=" + SignedInSession.csrf(page.body())).statusCode())
                .isEqualTo(302);
    }

    @Test
    void anEmptyReplyIsRejectedWithTheConversationShownAgainAndNothingStored() throws Exception {
        var tenant = tenants.create("Empty Reply Co");
        Conversation conversation = customerWrites(tenant, "oi");
        SignedInSession session = new SignedInSession(api.baseUrl(), tenant.agent().email());
        var page = session.get("/inbox/conversations/" + conversation.id(), "Accept-Language", "en");
        var response = session.post("/inbox/conversations/" + conversation.id() + "/reply", "text=+++&_csrf=" + SignedInSession.csrf(page.body()));
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("Write something before sending.");
        long outbound = TenantScope.call(tenant.id(), () -> jdbc.sql("select count(*) from messages where conversation_id = ? and direction <> 'inbound'")
                .param(conversation.id()).query(Long.class).single());
        assertThat(outbound).isZero();
    }

    @Test
    void aFailedMessageShowsItsReasonAndCanBeSentAgainFromTheConversation() throws Exception {
        var tenant = tenants.create("Retry Co");
        Conversation conversation = customerWrites(tenant, "oi");
        var failed = TenantScope.call(tenant.id(), () -> {
            var message = conversations.postOutbound(conversation.id(), SenderType.AGENT, tenant.agent().id(), null,
                    "Segue o boleto", null, java.time.Instant.now().plusSeconds(3600), false);
            conversations.advanceDelivery(message.id(), io.switchboard.conversation.MessageStatus.FAILED, null, "20003", "Twilio authentication failed");
            return message;
        });
        SignedInSession session = new SignedInSession(api.baseUrl(), tenant.agent().email());
        var page = session.get("/inbox/conversations/" + conversation.id(), "Accept-Language", "en");
        assertThat(page.body()).as("the provider's code in our words").contains("Twilio rejected the credentials")
                .doesNotContain("Twilio authentication failed").contains("Send again");

        var retried = session.post("/inbox/conversations/" + conversation.id() + "/messages/" + failed.id() + "/retry",
                "_csrf=" + SignedInSession.csrf(page.body()));

        assertThat(retried.statusCode()).isEqualTo(302);
        var again = TenantScope.call(tenant.id(), () -> conversations.message(failed.id()));
        // queued again; this test's account has no credentials, so the new attempt may already have failed anew
        assertThat(again.errorReason()).as("the old failure is gone").isNotEqualTo("Twilio authentication failed");
        assertThat(TenantScope.call(tenant.id(), () -> jdbc.sql("select count(*) from conversation_events where conversation_id = ? and type = 'delivery_retried'")
                .param(conversation.id()).query(Long.class).single())).isEqualTo(1);
    }

    @Test
    void theLiveStreamCarriesChangesOfTheOwnOrganizationOnly() throws Exception {
        var mine = tenants.create("Stream Co");
        var theirs = tenants.create("Other Stream Co");
        SignedInSession session = new SignedInSession(api.baseUrl(), mine.agent().email());
        HttpResponse<InputStream> stream = session.http().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/inbox/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).isEqualTo("event:ready");

            Conversation foreign = customerWrites(theirs, "not for you");
            Conversation own = customerWrites(mine, "for you");

            String needle = own.id().toString();
            CompletableFuture<Void> read = CompletableFuture.runAsync(() -> {
                try {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lines.add(line);
                        if (line.contains(needle)) {
                            return;
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            read.get(10, TimeUnit.SECONDS);
            assertThat(String.join("\n", lines)).contains("event:changed").contains(needle)
                    .doesNotContain(foreign.id().toString());
        }
    }

    private void historyOf(Tenants.Tenant tenant, Conversation conversation, int count) {
        TenantScope.run(tenant.id(), () -> jdbc.sql("""
                        insert into messages (organization_id, conversation_id, channel_account_id, direction, sender_type,
                                              content, created_at, updated_at)
                        select organization_id, id, channel_account_id, 'inbound', 'contact', 'linha ' || i,
                               now() - interval '1 day' + i * interval '1 second', now() - interval '1 day'
                        from conversations, generate_series(1, ?) i where id = ?""")
                .params(count, conversation.id()).update());
        // as if all of it had been read long ago: nothing here counts as a recent change
        TenantScope.run(tenant.id(), () -> jdbc.sql("update messages set updated_at = now() - interval '1 day' where conversation_id = ?")
                .param(conversation.id()).update());
    }

    @Test
    void theConversationPageShowsTheNewestMessagesAndLoadsOlderOnesPageByPage() throws Exception {
        var tenant = tenants.create("Long Page Co");
        Conversation conversation = customerWrites(tenant, "a primeira de todas");
        historyOf(tenant, conversation, 120);
        SignedInSession session = new SignedInSession(api.baseUrl(), tenant.agent().email());

        String page = session.get("/inbox/conversations/" + conversation.id(), "Accept-Language", "en").body();
        // the 50 newest: "linha 120" is the newest history line, the first customer message came after it
        assertThat(page).contains(">linha 120<").contains(">linha 72<").doesNotContain(">linha 71<")
                .contains("Older messages");
        String older = olderLink(page);

        String second = session.get(older).body();
        assertThat(second).contains(">linha 71<").contains(">linha 22<").doesNotContain(">linha 72<")
                .doesNotContain(">linha 21<");
        String third = session.get(olderLink(second)).body();
        assertThat(third).contains(">linha 1<").contains(">linha 21<").doesNotContain(">linha 22<")
                .doesNotContain("id=\"older-messages\"");
    }

    private static String olderLink(String html) {
        var matcher = java.util.regex.Pattern.compile("hx-get=\"([^\"]*/messages\\?before=[^\"]+)\"").matcher(html);
        assertThat(matcher.find()).as("a link to older messages").isTrue();
        return matcher.group(1).replace("&amp;", "&");
    }

    @Test
    void aLiveRefreshReturnsOnlyTheMessagesWrittenOrChangedSinceThePageReadThem() throws Exception {
        var tenant = tenants.create("Live Merge Co");
        Conversation conversation = customerWrites(tenant, "primeira");
        historyOf(tenant, conversation, 30);
        SignedInSession session = new SignedInSession(api.baseUrl(), tenant.agent().email());
        String page = session.get("/inbox/conversations/" + conversation.id()).body();
        var since = java.util.regex.Pattern.compile("data-since=\"(\\d+)\"").matcher(page);
        assertThat(since.find()).isTrue();

        TenantScope.run(tenant.id(), () -> conversations.postOutbound(conversation.id(), SenderType.AGENT, tenant.agent().id(),
                null, "resposta nova", null, null, true));

        String changes = session.get("/inbox/conversations/" + conversation.id() + "/messages/changes?since=" + since.group(1)).body();
        assertThat(changes).contains("resposta nova").doesNotContain("linha 30").doesNotContain("primeira");
        assertThat(changes.split("class=\"message ", -1).length - 1).as("one message element").isEqualTo(1);
    }

    @Test
    void theInboxPagesOnByCursorAndTheCountsLeaveClosedUncounted() throws Exception {
        var tenant = tenants.create("Many Rows Co");
        for (int i = 0; i < 55; i++) {
            customerWrites(tenant, "cliente " + i);
        }
        SignedInSession session = new SignedInSession(api.baseUrl(), tenant.agent().email());
        String first = session.get("/inbox?tab=OPEN", "Accept-Language", "en").body();
        var next = java.util.regex.Pattern.compile("id=\"next-page\"[^>]*href=\"([^\"]+)\"").matcher(first);
        assertThat(next.find()).as("a next page link").isTrue();
        String second = session.get(next.group(1).replace("&amp;", "&"), "Accept-Language", "en").body();
        assertThat(second.split("data-conversation-id=", -1).length - 1).isEqualTo(5);
        assertThat(second).contains("First page").doesNotContain("id=\"next-page\"");
        assertThat(first).contains("<span class=\"count\">55</span>");
    }
}
