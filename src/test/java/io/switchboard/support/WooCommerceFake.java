package io.switchboard.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.UUID;

/**
 * A WooCommerce store on the shared WireMock, under its own path prefix so tests never see each other's
 * stubs, answering in WooCommerce REST API v3's real JSON (orders, notes, products, errors, X-WP paging).
 */
public final class WooCommerceFake {

    public static final String KEY = "ck_0123456789abcdef0123456789abcdef01234567";
    public static final String SECRET = "cs_fedcba9876543210fedcba9876543210fedcba98";

    private final WireMockServer wireMock;
    private final String prefix = "/store-" + UUID.randomUUID().toString().substring(0, 8);

    public WooCommerceFake(WireMockServer wireMock) {
        this.wireMock = wireMock;
    }

    /** The site URL an administrator would enter. */
    public String siteUrl() {
        return ProviderFakes.baseUrl() + prefix;
    }

    public String api(String path) {
        return prefix + "/wp-json/wc/v3" + path;
    }

    public void stubOrder(long id, String status, String email, String phone) {
        wireMock.stubFor(get(urlPathEqualTo(api("/orders/" + id))).willReturn(json(200, orderJson(id, status, email, phone))));
        wireMock.stubFor(get(urlPathEqualTo(api("/orders/" + id + "/notes"))).willReturn(json(200, """
                [{"id":281,"author":"Loja","date_created":"2026-11-29T10:00:00","date_created_gmt":"2026-11-29T13:00:00",
                  "note":"Seu pedido foi enviado pelos Correios, código BR123456789BR.","customer_note":true}]""")));
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=UTF-8").withBody(body);
    }

    /** WooCommerce's error body, e.g. 401 woocommerce_rest_cannot_view. */
    public static ResponseDefinitionBuilder error(int status, String code, String message) {
        return json(status, "{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"data\":{\"status\":" + status + "}}");
    }

    public static String orderJson(long id, String status, String email, String phone) {
        return """
                {"id":%d,"parent_id":0,"status":"%s","currency":"BRL","version":"9.4.2","prices_include_tax":false,
                 "date_created":"2026-11-28T14:03:11","date_modified":"2026-11-28T14:05:40","discount_total":"0.00",
                 "discount_tax":"0.00","shipping_total":"19.90","shipping_tax":"0.00","cart_tax":"0.00","total":"219.80",
                 "total_tax":"0.00","customer_id":42,"order_key":"wc_order_58d2d042d1d",
                 "billing":{"first_name":"Maria","last_name":"Silva","company":"","address_1":"Rua das Flores, 100",
                   "address_2":"","city":"São Paulo","state":"SP","postcode":"01000-000","country":"BR",
                   "email":"%s","phone":"%s"},
                 "shipping":{"first_name":"Maria","last_name":"Silva","company":"","address_1":"Rua das Flores, 100",
                   "address_2":"","city":"São Paulo","state":"SP","postcode":"01000-000","country":"BR","phone":""},
                 "payment_method":"pix","payment_method_title":"Pix","transaction_id":"","customer_ip_address":"",
                 "customer_user_agent":"","created_via":"checkout","customer_note":"","date_completed":null,
                 "date_paid":"2026-11-28T14:05:40","cart_hash":"","number":"%d",
                 "meta_data":[{"id":9001,"key":"_wc_shipment_tracking_items","value":[{"tracking_provider":"Correios",
                   "custom_tracking_provider":"","custom_tracking_link":"","tracking_number":"BR123456789BR",
                   "date_shipped":"1732800000","tracking_id":"a1b2c3"}]}],
                 "line_items":[{"id":315,"name":"Camiseta Azul - M","product_id":93,"variation_id":0,"quantity":2,
                   "tax_class":"","subtotal":"199.90","subtotal_tax":"0.00","total":"199.90","total_tax":"0.00",
                   "taxes":[],"meta_data":[],"sku":"CAM-AZ-M","price":99.95,"parent_name":null}],
                 "tax_lines":[],"shipping_lines":[{"id":316,"method_title":"PAC","method_id":"flat_rate","total":"19.90"}],
                 "fee_lines":[],"coupon_lines":[],"refunds":[],"payment_url":"","is_editable":false,"needs_payment":false,
                 "needs_processing":true,
                 "_links":{"self":[{"href":"https://loja.example/wp-json/wc/v3/orders/%d"}]}}"""
                .formatted(id, status, email, phone, id, id);
    }

    public static String productJson(long id, String name, String sku, String price, String stockStatus, Integer quantity) {
        return """
                {"id":%d,"name":"%s","slug":"p-%d","permalink":"https://loja.example/produto/p-%d/","type":"simple",
                 "status":"publish","featured":false,"catalog_visibility":"visible","description":"","short_description":"",
                 "sku":"%s","price":"%s","regular_price":"%s","sale_price":"","on_sale":false,"purchasable":true,
                 "total_sales":12,"manage_stock":%s,"stock_quantity":%s,"stock_status":"%s","backorders":"no",
                 "categories":[{"id":9,"name":"Roupas","slug":"roupas"}],"images":[],"meta_data":[]}"""
                .formatted(id, name, id, id, sku, price, price, quantity != null, quantity == null ? "null" : quantity.toString(),
                        stockStatus);
    }
}
