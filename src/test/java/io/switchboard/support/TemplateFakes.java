package io.switchboard.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.database.TenantScope;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A WhatsApp Cloud account whose approved templates the fake Graph API lists, and a customer whose window closed. */
public final class TemplateFakes {

    private TemplateFakes() {
    }

    /** A Meta account with its WhatsApp Business Account, whose templates the fake Graph API lists. */
    public static UUID metaAccountWithTemplates(Channels channels, WireMockServer fake, Tenants.Tenant tenant) {
        return metaAccountWithTemplates(channels, fake, tenant, null);
    }

    /** The same, its new conversations owned by {@code defaultAiAgentId} (null: none). */
    public static UUID metaAccountWithTemplates(Channels channels, WireMockServer fake, Tenants.Tenant tenant, UUID defaultAiAgentId) {
        String waba = "2" + Channels.metaPhoneNumberId(tenant).substring(1);
        fake.stubFor(get(urlPathMatching("/v[0-9.]+/" + waba + "/message_templates")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"data":[
                          {"name":"pedido_enviado","parameter_format":"POSITIONAL","components":[
                             {"type":"HEADER","format":"TEXT","text":"Pedido a caminho"},
                             {"type":"BODY","text":"Olá {{1}}, seu pedido {{2}} saiu para entrega.","example":{"body_text":[["Maria","123"]]}},
                             {"type":"FOOTER","text":"Loja Exemplo"}],
                           "language":"pt_BR","status":"APPROVED","category":"UTILITY","id":"1203458812"},
                          {"name":"promo_natal","components":[{"type":"BODY","text":"Promoção de Natal!"}],
                           "language":"pt_BR","status":"REJECTED","category":"MARKETING","id":"1203458813"}],
                         "paging":{"cursors":{"before":"MAZDZD","after":"MjQZD"}}}""")));
        fake.stubFor(post(urlPathMatching(Channels.metaMessagesPathPattern(Channels.metaPhoneNumberId(tenant))))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(
                        "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"5511987650001\",\"wa_id\":\"5511987650001\"}],"
                                + "\"messages\":[{\"id\":\"wamid.HBgNNTUxMTk4NzY1MDAwMRUCABEYEjQ1\",\"message_status\":\"accepted\"}]}")));
        Map<String, Object> account = new java.util.LinkedHashMap<>(Map.of("type", "meta_cloud", "name", "WhatsApp Cloud",
                "config", Map.of("phone_number_id", Channels.metaPhoneNumberId(tenant), "waba_id", waba, "access_token", "meta-token",
                        "app_secret", Channels.META_SECRET, "verify_token", "verify-me")));
        if (defaultAiAgentId != null) {
            account.put("default_ai_agent_id", defaultAiAgentId);
        }
        return channels.create(tenant, account);
    }

    /** The customer wrote two days ago: the conversation exists and its window is closed. */
    public static UUID conversationTwoDaysOld(Channels channels, ApiClient api, JdbcClient jdbc, Tenants.Tenant tenant, UUID account) {
        String phoneNumberId = Channels.metaPhoneNumberId(tenant);
        channels.metaPost(account, """
                {"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{
                 "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"%s"},
                 "contacts":[{"profile":{"name":"Maria Souza"},"wa_id":"5511987650001"}],
                 "messages":[{"from":"5511987650001","id":"wamid.in%s","timestamp":"1733000000","type":"text",
                              "text":{"body":"meu pedido já saiu?"}}]}}]}]}""".formatted(phoneNumberId, UUID.randomUUID()),
                Channels.META_SECRET);
        UUID conversation = UUID.fromString(api.get("/api/v1/conversations", tenant.agentToken()).json().get("items").get(0)
                .get("id").asString());
        TenantScope.run(tenant.id(), () -> jdbc.sql("""
                update conversations set last_customer_message_at = now() - interval '2 days' where id = ?""")
                .param(conversation).update());
        return conversation;
    }

}
