package io.switchboard.ai.tools;

import io.switchboard.integration.IntegrationCallFailed;
import io.switchboard.integration.WooCommerce;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code buscar_produto_woocommerce}: products by name, with price, stock and link, a page at a time. */
@Component
class FindWooCommerceProductTool implements ToolHandler {

    private static final int PER_PAGE = 5;

    private final WooCommerceStore store;

    FindWooCommerceProductTool(WooCommerceStore store) {
        this.store = store;
    }

    @Override
    public String slug() {
        return "buscar_produto_woocommerce";
    }

    @Override
    public String description() {
        return "Busca produtos da loja (WooCommerce) pelo nome e devolve preço, disponibilidade e link.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "busca": {"type": "string", "minLength": 2, "maxLength": 100, "description": "Nome ou parte do nome do produto"},
                   "pagina": {"type": "integer", "minimum": 1, "maximum": 50}
                 },
                 "required": ["busca"],
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        Optional<UUID> storeId = store.store(context);
        if (storeId.isEmpty()) {
            return WooCommerceStore.notConnected();
        }
        try {
            WooCommerce.Page<WooCommerce.Product> found = store.wooCommerce.products(storeId.get(),
                    arguments.get("busca").asString(), null, arguments.path("pagina").asInt(1), PER_PAGE);
            ObjectNode content = store.page(found);
            var products = content.putArray("produtos");
            found.items().forEach(p -> products.add(store.product(p, context.organizationId())));
            return ToolResult.ok(content.toString());
        } catch (IntegrationCallFailed e) {
            return ToolResult.failed("não foi possível consultar a loja: " + e.getMessage());
        }
    }
}
