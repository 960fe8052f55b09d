package io.switchboard.ai.tools;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.identity.Organizations;
import io.switchboard.integration.Integration;
import io.switchboard.integration.IntegrationKind;
import io.switchboard.integration.Integrations;
import io.switchboard.integration.WooCommerce;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the four WooCommerce tools share: which store to ask (the agent's {@code integration_id} for the tool,
 * else the organization's first WooCommerce connection), who the customer is, and how an order reads for the
 * model — trimmed to status (with a label in the organization's language), items, total, notes and tracking.
 */
@Component
class WooCommerceStore {

    private static final Map<String, String[]> STATUS_LABELS = Map.of(
            "pending", new String[] {"Aguardando pagamento", "Pending payment"},
            "processing", new String[] {"Pagamento confirmado, pedido em preparação", "Paid, being prepared"},
            "on-hold", new String[] {"Aguardando confirmação do pagamento", "On hold, awaiting payment confirmation"},
            "completed", new String[] {"Concluído (enviado/entregue)", "Completed (shipped/delivered)"},
            "cancelled", new String[] {"Cancelado", "Cancelled"},
            "refunded", new String[] {"Reembolsado", "Refunded"},
            "failed", new String[] {"Pagamento não aprovado", "Payment failed"},
            "checkout-draft", new String[] {"Rascunho (compra não finalizada)", "Draft (checkout not finished)"});
    private static final Map<String, String[]> STOCK_LABELS = Map.of(
            "instock", new String[] {"Em estoque", "In stock"},
            "outofstock", new String[] {"Esgotado", "Out of stock"},
            "onbackorder", new String[] {"Sob encomenda", "On backorder"});

    final WooCommerce wooCommerce;
    private final Integrations integrations;
    private final Contacts contacts;
    private final Organizations organizations;
    private final JsonMapper json;

    WooCommerceStore(WooCommerce wooCommerce, Integrations integrations, Contacts contacts, Organizations organizations, JsonMapper json) {
        this.wooCommerce = wooCommerce;
        this.integrations = integrations;
        this.contacts = contacts;
        this.organizations = organizations;
        this.json = json;
    }

    /** The connection to use, or empty when the organization has connected no store. */
    Optional<UUID> store(ToolContext context) {
        String configured = context.config() == null ? "" : context.config().path("integration_id").asString("");
        if (!configured.isBlank()) {
            try {
                return Optional.of(UUID.fromString(configured));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return integrations.firstOf(IntegrationKind.WOOCOMMERCE).map(Integration::id);
    }

    static ToolResult notConnected() {
        return ToolResult.failed("a loja WooCommerce não está conectada (Integrações); não invente dados de pedidos ou "
                + "produtos, ofereça transferir para um atendente");
    }

    Optional<Contact> customer(ToolContext context) {
        return context.contactId() == null ? Optional.empty() : contacts.find(context.contactId());
    }

    ObjectNode order(WooCommerce.Order order, UUID organizationId) {
        ObjectNode node = json.createObjectNode();
        node.put("numero", order.number());
        node.put("status", order.status());
        node.put("status_descricao", label(STATUS_LABELS, order.status(), organizationId));
        node.put("total", order.total());
        node.put("moeda", order.currency());
        node.put("criado_em", order.dateCreated());
        var items = node.putArray("itens");
        order.items().forEach(i -> items.addObject().put("nome", i.name()).put("quantidade", i.quantity()).put("total", i.total()));
        if (!order.customerNotes().isEmpty()) {
            var notes = node.putArray("notas_ao_cliente");
            order.customerNotes().forEach(notes::add);
        }
        if (!order.tracking().isEmpty()) {
            var tracking = node.putArray("rastreio");
            order.tracking().forEach(t -> tracking.addObject().put("transportadora", t.provider()).put("codigo", t.number())
                    .put("link", t.link()));
        }
        return node;
    }

    ObjectNode product(WooCommerce.Product product, UUID organizationId) {
        ObjectNode node = json.createObjectNode();
        node.put("nome", product.name());
        node.put("sku", product.sku());
        node.put("preco", product.price());
        node.put("estoque", product.stockStatus());
        node.put("estoque_descricao", label(STOCK_LABELS, product.stockStatus(), organizationId));
        if (product.manageStock() && product.stockQuantity() != null) {
            node.put("quantidade_em_estoque", product.stockQuantity());
        }
        node.put("link", product.permalink());
        return node;
    }

    ObjectNode page(WooCommerce.Page<?> page) {
        return json.createObjectNode().put("pagina", page.page()).put("total", page.total()).put("total_paginas", page.totalPages());
    }

    private String label(Map<String, String[]> labels, String code, UUID organizationId) {
        String[] pair = labels.get(code == null ? "" : code);
        if (pair == null) {
            return code;
        }
        String locale = organizations.find(organizationId).map(o -> o.locale()).orElse("pt-BR");
        return locale.toLowerCase(Locale.ROOT).startsWith("pt") ? pair[0] : pair[1];
    }
}
