package io.switchboard.ai.tools;

import io.switchboard.contact.Contact;
import io.switchboard.integration.IntegrationCallFailed;
import io.switchboard.integration.WooCommerce;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code listar_pedidos_cliente_woocommerce}: the customer's own orders, newest first, a page at a time. The
 * store is searched by the contact's e-mail (else phone) and every order is checked to be theirs.
 */
@Component
class ListCustomerWooCommerceOrdersTool implements ToolHandler {

    private static final int PER_PAGE = 5;

    private final WooCommerceStore store;

    ListCustomerWooCommerceOrdersTool(WooCommerceStore store) {
        this.store = store;
    }

    @Override
    public String slug() {
        return "listar_pedidos_cliente_woocommerce";
    }

    @Override
    public String description() {
        return "Lista os pedidos do cliente desta conversa na loja (WooCommerce), do mais recente ao mais antigo, "
                + PER_PAGE + " por página.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "pagina": {"type": "integer", "minimum": 1, "maximum": 50, "description": "Página (1 = mais recentes)"}
                 },
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        Optional<UUID> storeId = store.store(context);
        if (storeId.isEmpty()) {
            return WooCommerceStore.notConnected();
        }
        Optional<Contact> customer = store.customer(context);
        String email = customer.map(Contact::email).filter(e -> !e.isBlank()).orElse(null);
        String phone = customer.map(Contact::phone).filter(p -> !p.isBlank()).orElse(null);
        if (email == null && phone == null) {
            return ToolResult.ok("{\"pedidos\": [], \"motivo\": \"não sei o e-mail nem o telefone do cliente; peça o e-mail da compra\"}");
        }
        int page = arguments.path("pagina").asInt(1);
        try {
            WooCommerce.Page<WooCommerce.Order> found = store.wooCommerce.orders(storeId.get(), email != null ? email : phone, page, PER_PAGE);
            ObjectNode content = store.page(found);
            var orders = content.putArray("pedidos");
            found.items().stream().filter(o -> o.belongsTo(email, phone))
                    .forEach(o -> orders.add(store.order(o, context.organizationId())));
            return ToolResult.ok(content.toString());
        } catch (IntegrationCallFailed e) {
            return ToolResult.failed("não foi possível consultar a loja: " + e.getMessage());
        }
    }
}
