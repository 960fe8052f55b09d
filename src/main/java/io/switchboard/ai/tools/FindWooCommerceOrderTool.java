package io.switchboard.ai.tools;

import io.switchboard.contact.Contact;
import io.switchboard.integration.IntegrationCallFailed;
import io.switchboard.integration.WooCommerce;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * {@code buscar_pedido_woocommerce}: an order by its number — only when it is the customer's own (billing
 * e-mail or phone matches the contact), so a customer can never read someone else's order. Another customer's
 * order reads exactly like a missing one, so guessing numbers reveals nothing.
 */
@Component
class FindWooCommerceOrderTool implements ToolHandler {

    private final WooCommerceStore store;

    FindWooCommerceOrderTool(WooCommerceStore store) {
        this.store = store;
    }

    @Override
    public String slug() {
        return "buscar_pedido_woocommerce";
    }

    @Override
    public String description() {
        return "Busca um pedido da loja (WooCommerce) pelo número e devolve status, itens, total, notas e rastreio. "
                + "Só mostra pedidos do próprio cliente desta conversa (e-mail ou telefone do cadastro).";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "numero_pedido": {"type": "integer", "minimum": 1, "description": "Número do pedido, ex.: 1234"}
                 },
                 "required": ["numero_pedido"],
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        Optional<UUID> storeId = store.store(context);
        if (storeId.isEmpty()) {
            return WooCommerceStore.notConnected();
        }
        Optional<Contact> customer = store.customer(context);
        if (customer.isEmpty() || (isBlank(customer.get().email()) && isBlank(customer.get().phone()))) {
            return ToolResult.ok("{\"encontrado\": false, \"motivo\": \"não sei o e-mail nem o telefone do cliente; peça o "
                    + "e-mail usado na compra e atualize o contato antes de buscar o pedido\"}");
        }
        long number = arguments.get("numero_pedido").asLong();
        try {
            Optional<WooCommerce.Order> order = store.wooCommerce.order(storeId.get(), number)
                    .filter(o -> o.belongsTo(customer.get().email(), customer.get().phone()));
            if (order.isEmpty()) {
                return ToolResult.ok("{\"encontrado\": false, \"motivo\": \"nenhum pedido " + number + " deste cliente; "
                        + "confira o número ou peça o e-mail usado na compra\"}");
            }
            return ToolResult.ok(store.order(order.get(), context.organizationId()).put("encontrado", true).toString());
        } catch (IntegrationCallFailed e) {
            return ToolResult.failed("não foi possível consultar a loja: " + e.getMessage());
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
