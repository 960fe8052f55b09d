package io.switchboard.integration;

import io.switchboard.outbound.OutboundFailure;
import io.switchboard.outbound.OutboundHttp;
import io.switchboard.outbound.OutboundResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * WooCommerce REST API v3 ({@code {site}/wp-json/wc/v3}, HTTP Basic with the consumer key and secret): orders,
 * their customer-visible notes and shipment tracking, and products with their stock. Answers are trimmed to
 * what the AI needs; WooCommerce's errors ({@code {"code","message","data":{"status"}}}) become an
 * {@link IntegrationCallFailed} that says what to check.
 */
@Service
public class WooCommerce {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** An order as the AI sees it. {@code customerNotes} are the notes the store addressed to the customer. */
    public record Order(long id, String number, String status, String currency, String total, String dateCreated,
                        String billingName, String billingEmail, String billingPhone, List<Item> items,
                        List<String> customerNotes, List<Tracking> tracking) {

        /**
         * Whether the order is this customer's: the billing e-mail equals theirs (ignoring case), or the billing
         * phone ends with the same digits as theirs at least 8 of them, so +55 11 91234-5678 matches 11912345678.
         */
        public boolean belongsTo(String email, String phone) {
            if (email != null && !email.isBlank() && billingEmail != null && billingEmail.strip().equalsIgnoreCase(email.strip())) {
                return true;
            }
            String theirs = digits(phone);
            String billed = digits(billingPhone);
            int compared = Math.min(theirs.length(), billed.length());
            return compared >= 8
                    && theirs.substring(theirs.length() - compared).equals(billed.substring(billed.length() - compared));
        }

        private static String digits(String phone) {
            return phone == null ? "" : phone.replaceAll("\\D", "");
        }
    }

    public record Item(String name, int quantity, String total, String sku) {
    }

    /** A shipment as the Shipment Tracking extension records it in the order's meta data. */
    public record Tracking(String provider, String number, String link) {
    }

    /** {@code stockQuantity} is null when the store does not count the product's stock. */
    public record Product(long id, String name, String sku, String price, String stockStatus, Integer stockQuantity,
                          boolean manageStock, String permalink) {
    }

    /** One page of a list, with WooCommerce's X-WP-Total and X-WP-TotalPages. */
    public record Page<T>(List<T> items, int page, int total, int totalPages) {
    }

    private final Integrations integrations;
    private final OutboundHttp http;
    private final JsonMapper json;

    WooCommerce(Integrations integrations, OutboundHttp http, JsonMapper json) {
        this.integrations = integrations;
        this.http = http;
        this.json = json;
    }

    /** The order with this number, or empty when the store has none. */
    public Optional<Order> order(UUID integrationId, long number) {
        Connection store = integrations.connection(integrationId, IntegrationKind.WOOCOMMERCE);
        Optional<JsonNode> order = getOptional(store, "/orders/" + number);
        return order.map(o -> order(o, notes(store, o.path("id").asLong())));
    }

    /** Orders matching {@code search} (WooCommerce searches e-mail, name and phone), newest first. */
    public Page<Order> orders(UUID integrationId, String search, int page, int perPage) {
        Connection store = integrations.connection(integrationId, IntegrationKind.WOOCOMMERCE);
        Listing listing = list(store, "/orders", Map.of("search", search, "page", page, "per_page", perPage,
                "orderby", "date", "order", "desc"));
        List<Order> orders = new ArrayList<>();
        listing.body().values().forEach(o -> orders.add(order(o, List.of())));
        return new Page<>(orders, page, listing.total(), listing.totalPages());
    }

    /** Products whose name matches {@code search}, or the product with {@code sku} when given. */
    public Page<Product> products(UUID integrationId, String search, String sku, int page, int perPage) {
        Connection store = integrations.connection(integrationId, IntegrationKind.WOOCOMMERCE);
        Map<String, Object> query = new LinkedHashMap<>();
        if (sku != null && !sku.isBlank()) {
            query.put("sku", sku.strip());
        } else {
            query.put("search", search == null ? "" : search.strip());
        }
        query.put("page", page);
        query.put("per_page", perPage);
        Listing listing = list(store, "/products", query);
        List<Product> products = new ArrayList<>();
        listing.body().values().forEach(p -> products.add(new Product(p.path("id").asLong(), p.path("name").asString(""),
                text(p, "sku"), text(p, "price"), text(p, "stock_status"),
                p.path("stock_quantity").isNumber() ? p.path("stock_quantity").asInt() : null,
                p.path("manage_stock").asBoolean(false), text(p, "permalink"))));
        return new Page<>(products, page, listing.total(), listing.totalPages());
    }

    /** Lists one order, as tools will: proves the URL, the credentials and their read permission. */
    ConnectionTest test(Connection store) {
        try {
            Listing listing = list(store, "/orders", Map.of("per_page", 1));
            return new ConnectionTest(true, "Connected to WooCommerce: " + listing.total() + " orders");
        } catch (IntegrationCallFailed e) {
            return new ConnectionTest(false, e.getMessage());
        }
    }

    private record Listing(JsonNode body, int total, int totalPages) {
    }

    private Listing list(Connection store, String path, Map<String, Object> query) {
        String queryString = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        OutboundResponse response = send(store, path + "?" + queryString);
        if (!response.successful()) {
            throw failure(response);
        }
        JsonNode body = parse(response);
        int total = header(response, "X-WP-Total", body.size());
        return new Listing(body, total, header(response, "X-WP-TotalPages", total == 0 ? 0 : 1));
    }

    private Optional<JsonNode> getOptional(Connection store, String path) {
        OutboundResponse response = send(store, path);
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (!response.successful()) {
            throw failure(response);
        }
        return Optional.of(parse(response));
    }

    /** The notes the store wrote to the customer such as the shipping note with its tracking code, oldest first. */
    private List<String> notes(Connection store, long orderId) {
        List<String> notes = new ArrayList<>();
        getOptional(store, "/orders/" + orderId + "/notes?type=customer").ifPresent(all -> all.values().forEach(note -> {
            if (note.path("customer_note").asBoolean(true)) {
                notes.add(0, note.path("note").asString(""));
            }
        }));
        return notes;
    }

    private OutboundResponse send(Connection store, String path) {
        String credentials = store.secrets().get("consumer_key") + ":" + store.secrets().get("consumer_secret");
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(store.baseUrl("site_url") + "/wp-json/wc/v3" + path))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                    .header("Accept", "application/json")
                    .GET().build();
        } catch (IllegalArgumentException e) {
            throw new IntegrationCallFailed("the WooCommerce site URL of '" + store.name() + "' is not valid");
        }
        try {
            return http.send(request, store.timeout(DEFAULT_TIMEOUT));
        } catch (OutboundFailure e) {
            throw new IntegrationCallFailed("WooCommerce (" + store.name() + ") could not be used: " + e.getMessage(), e);
        }
    }

    private IntegrationCallFailed failure(OutboundResponse response) {
        JsonNode error;
        try {
            error = json.readTree(response.text());
        } catch (JacksonException e) {
            error = json.createObjectNode();
        }
        String code = error.path("code").asString("");
        String message = error.path("message").asString("");
        String said = code.isEmpty() && message.isEmpty() ? "" : " (" + code + (message.isEmpty() ? "" : ": " + message) + ")";
        int status = response.status();
        if (status == 401 || status == 403) {
            return new IntegrationCallFailed("WooCommerce refused the credentials with HTTP " + status + said
                    + "; check the consumer key, the secret and that the key may read");
        }
        if (status >= 500) {
            return new IntegrationCallFailed("WooCommerce failed with HTTP " + status + said + "; the store may be down, try later");
        }
        return new IntegrationCallFailed("WooCommerce answered HTTP " + status + said);
    }

    private JsonNode parse(OutboundResponse response) {
        try {
            return json.readTree(response.text());
        } catch (JacksonException e) {
            throw new IntegrationCallFailed("WooCommerce answered something that is not JSON (is the site URL right?)");
        }
    }

    private Order order(JsonNode o, List<String> notes) {
        JsonNode billing = o.path("billing");
        List<Item> items = new ArrayList<>();
        o.path("line_items").values().forEach(i -> items.add(new Item(i.path("name").asString(""), i.path("quantity").asInt(),
                text(i, "total"), text(i, "sku"))));
        List<Tracking> tracking = new ArrayList<>();
        o.path("meta_data").values().forEach(meta -> {
            if ("_wc_shipment_tracking_items".equals(meta.path("key").asString(""))) {
                meta.path("value").values().forEach(t -> tracking.add(new Tracking(text(t, "tracking_provider"),
                        text(t, "tracking_number"), text(t, "custom_tracking_link"))));
            }
        });
        String name = (billing.path("first_name").asString("") + " " + billing.path("last_name").asString("")).strip();
        return new Order(o.path("id").asLong(), o.path("number").asString(String.valueOf(o.path("id").asLong())),
                o.path("status").asString(""), text(o, "currency"), text(o, "total"), text(o, "date_created"),
                name, text(billing, "email"), text(billing, "phone"), items, notes, tracking);
    }

    private static int header(OutboundResponse response, String name, int fallback) {
        try {
            return response.header(name).map(String::strip).map(Integer::parseInt).orElse(fallback);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() || value.asString("").isEmpty() ? null : value.asString();
    }
}
