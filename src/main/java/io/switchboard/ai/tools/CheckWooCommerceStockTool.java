package io.switchboard.ai.tools;

import io.switchboard.integration.IntegrationCallFailed;
import io.switchboard.integration.WooCommerce;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code verificar_estoque_woocommerce}: whether a product (by SKU or name) is in stock, and how many when counted. */
@Component
class CheckWooCommerceStockTool implements ToolHandler {

    private static final int MATCHES = 3;

    private final WooCommerceStore store;

    CheckWooCommerceStockTool(WooCommerceStore store) {
        this.store = store;
    }

    @Override
    public String slug() {
        return "verificar_estoque_woocommerce";
    }

    @Override
    public String description() {
        return "Verifica o estoque de um produto da loja (WooCommerce) pelo SKU ou pelo nome.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "sku": {"type": "string", "minLength": 1, "maxLength": 100, "description": "Código (SKU) do produto"},
                   "produto": {"type": "string", "minLength": 2, "maxLength": 100, "description": "Nome do produto, se não souber o SKU"}
                 },
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        String sku = arguments.path("sku").asString("");
        String name = arguments.path("produto").asString("");
        if (sku.isBlank() && name.isBlank()) {
            return ToolResult.failed("informe o sku ou o nome do produto");
        }
        Optional<UUID> storeId = store.store(context);
        if (storeId.isEmpty()) {
            return WooCommerceStore.notConnected();
        }
        try {
            WooCommerce.Page<WooCommerce.Product> found = store.wooCommerce.products(storeId.get(), name, sku, 1, MATCHES);
            ObjectNode content = store.page(found);
            var products = content.putArray("produtos");
            found.items().forEach(p -> products.add(store.product(p, context.organizationId())));
            if (found.items().isEmpty()) {
                content.put("motivo", "nenhum produto encontrado com " + (sku.isBlank() ? "o nome '" + name + "'" : "o SKU '" + sku + "'"));
            }
            return ToolResult.ok(content.toString());
        } catch (IntegrationCallFailed e) {
            return ToolResult.failed("não foi possível consultar a loja: " + e.getMessage());
        }
    }
}
