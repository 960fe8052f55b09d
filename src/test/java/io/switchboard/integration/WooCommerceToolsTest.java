package io.switchboard.integration;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.ai.tools.ToolContext;
import io.switchboard.ai.tools.ToolRegistry;
import io.switchboard.ai.tools.ToolResult;
import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import io.switchboard.support.Tenants;
import io.switchboard.support.WooCommerceFake;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The customer's orders page by page, products and stock, read from WooCommerce's real JSON and paging headers. */
@IntegrationTest
class WooCommerceToolsTest {

    @Autowired
    Tenants tenants;

    @Autowired
    ApiClient api;

    @Autowired
    ToolRegistry registry;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    WireMockServer fake;
    WooCommerceFake store;
    Tenants.Tenant tenant;
    UUID maria;

    @BeforeEach
    void aStoreAndACustomer() {
        fake = ProviderFakes.fresh();
        store = new WooCommerceFake(fake);
        tenant = tenants.create("Woo Tools");
        var created = api.post("/api/v1/integrations", tenant.adminToken(), Map.of("kind", "woocommerce", "name", "Loja",
                "settings", Map.of("site_url", store.siteUrl()),
                "secrets", Map.of("consumer_key", WooCommerceFake.KEY, "consumer_secret", WooCommerceFake.SECRET)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        maria = TenantScope.call(tenant.id(), () -> jdbc.sql(
                        "insert into contacts (organization_id, name, email, phone) values (?, 'Maria', 'maria@example.com', '+5511970001234') returning id")
                .param(tenant.id()).query(UUID.class).single());
    }

    @Test
    void theCustomersOrdersComePageByPageAndOnlyTheirs() {
        fake.stubFor(get(urlPathEqualTo(store.api("/orders"))).withQueryParam("search", equalTo("maria@example.com"))
                .withQueryParam("page", equalTo("2")).withQueryParam("per_page", equalTo("5"))
                .willReturn(WooCommerceFake.json(200, "[" + WooCommerceFake.orderJson(1201, "completed", "maria@example.com", "")
                                + "," + WooCommerceFake.orderJson(1202, "processing", "maria.souza@example.com", "(21) 98888-0000") + "]")
                        .withHeader("X-WP-Total", "7").withHeader("X-WP-TotalPages", "2")));

        JsonNode content = ok("listar_pedidos_cliente_woocommerce", "{\"pagina\": 2}");

        assertThat(content.get("pagina").asInt()).isEqualTo(2);
        assertThat(content.get("total").asInt()).isEqualTo(7);
        assertThat(content.get("total_paginas").asInt()).isEqualTo(2);
        assertThat(content.get("pedidos")).hasSize(1);
        assertThat(content.get("pedidos").get(0).get("numero").asString()).isEqualTo("1201");
        assertThat(content.get("pedidos").get(0).get("status_descricao").asString()).isEqualTo("Concluído (enviado/entregue)");
    }

    @Test
    void productsAndStockAreReadWithTheirStockState() {
        fake.stubFor(get(urlPathEqualTo(store.api("/products"))).withQueryParam("search", equalTo("camiseta"))
                .willReturn(WooCommerceFake.json(200, "[" + WooCommerceFake.productJson(93, "Camiseta Azul", "CAM-AZ", "99.95", "instock", 12)
                                + "," + WooCommerceFake.productJson(94, "Camiseta Verde", "CAM-VD", "89.90", "outofstock", null) + "]")
                        .withHeader("X-WP-Total", "2").withHeader("X-WP-TotalPages", "1")));
        fake.stubFor(get(urlPathEqualTo(store.api("/products"))).withQueryParam("sku", equalTo("CAM-VD"))
                .willReturn(WooCommerceFake.json(200, "[" + WooCommerceFake.productJson(94, "Camiseta Verde", "CAM-VD", "89.90", "onbackorder", null) + "]")
                        .withHeader("X-WP-Total", "1").withHeader("X-WP-TotalPages", "1")));

        JsonNode products = ok("buscar_produto_woocommerce", "{\"busca\": \"camiseta\"}");
        JsonNode stock = ok("verificar_estoque_woocommerce", "{\"sku\": \"CAM-VD\"}");

        assertThat(products.get("produtos")).hasSize(2);
        assertThat(products.get("produtos").get(0).get("quantidade_em_estoque").asInt()).isEqualTo(12);
        assertThat(products.get("produtos").get(1).get("estoque_descricao").asString()).isEqualTo("Esgotado");
        assertThat(products.get("produtos").get(1).has("quantidade_em_estoque")).as("not counted by the store").isFalse();
        assertThat(stock.get("produtos").get(0).get("estoque").asString()).isEqualTo("onbackorder");
        assertThat(stock.get("produtos").get(0).get("estoque_descricao").asString()).isEqualTo("Sob encomenda");
    }

    @Test
    void aMissingOrderReadsAsNotFoundAndAStoreErrorAsAClearFailure() {
        fake.stubFor(get(urlPathEqualTo(store.api("/orders/999"))).willReturn(
                WooCommerceFake.error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")));
        fake.stubFor(get(urlPathEqualTo(store.api("/products"))).willReturn(
                WooCommerceFake.error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")));

        assertThat(ok("buscar_pedido_woocommerce", "{\"numero_pedido\": 999}").get("encontrado").asBoolean()).isFalse();
        ToolResult refused = invoke("buscar_produto_woocommerce", "{\"busca\": \"camiseta\"}");
        assertThat(refused.success()).isFalse();
        assertThat(refused.content()).contains("HTTP 401").contains("Sorry, you cannot list resources.").contains("consumer key");
    }

    private JsonNode ok(String slug, String arguments) {
        ToolResult result = invoke(slug, arguments);
        assertThat(result.success()).as(result.content()).isTrue();
        return json.readTree(result.content());
    }

    private ToolResult invoke(String slug, String arguments) {
        return TenantScope.call(tenant.id(), () -> registry.invoke(registry.find(slug).orElseThrow(),
                new ToolContext(tenant.id(), null, maria, null, json.createObjectNode()), arguments));
    }
}
