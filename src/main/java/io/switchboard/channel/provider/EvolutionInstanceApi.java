package io.switchboard.channel.provider;

import static io.switchboard.channel.provider.JsonFields.text;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Evolution API v2's instance endpoints, with header {@code apikey}: {@code GET /instance/connect/{instance}} (the QR
 * code as {@code base64} data URL, or the state when already open), {@code POST /instance/create} (with the webhook
 * set to ours), {@code GET /instance/connectionState/{instance}}, {@code DELETE /instance/logout/{instance}}; and
 * the webhook events that report on the connection: {@code connection.update} ({@code data.state} open, connecting,
 * close, refused) and {@code qrcode.updated} ({@code data.qrcode.base64}).
 */
public class EvolutionInstanceApi {

    /** Where an instance stands, in our words. */
    public enum State {
        CONNECTED, CONNECTING, NEEDS_QR, DISCONNECTED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Evolution's connection state (Baileys' open, connecting, close; refused when the QR codes ran out). */
        static State fromEvolution(String state) {
            return switch (state == null ? "" : state.toLowerCase(Locale.ROOT)) {
                case "open" -> CONNECTED;
                case "connecting" -> CONNECTING;
                default -> DISCONNECTED;
            };
        }
    }

    /** What Evolution said: the state, the QR code to scan (a data URL) and pairing code when waiting for one. */
    public record Status(State state, String qrCode, String pairingCode, String detail) {
    }

    /** The webhook events this account's instance must send us. */
    private static final String[] EVENTS = {"MESSAGES_UPSERT", "MESSAGES_UPDATE", "CONNECTION_UPDATE", "QRCODE_UPDATED"};

    private final HttpClient http = ProviderHttp.newClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Function<String, Optional<String>> addressRefusal;

    public EvolutionInstanceApi(Function<String, Optional<String>> addressRefusal) {
        this.addressRefusal = addressRefusal;
    }

    /** Thrown when Evolution cannot be called or refuses; the message says why in words a person can act on. */
    public static class Failure extends RuntimeException {
        public Failure(String message) {
            super(message);
        }
    }

    /**
     * Asks for a QR code, creating the instance first (with our webhook and secret header) when Evolution does
     * not know it.
     */
    public Status connect(String baseUrl, String apiKey, String instance, String webhookUrl, String webhookSecret) {
        Answer answer = call(baseUrl, apiKey, "GET", "/instance/connect/" + encode(instance), null);
        if (answer.status() == 404 || (answer.status() == 400 && answer.raw().contains("does not exist"))) {
            ObjectNode create = json.createObjectNode().put("instanceName", instance).put("qrcode", true)
                    .put("integration", "WHATSAPP-BAILEYS");
            ObjectNode webhook = create.putObject("webhook").put("enabled", true).put("url", webhookUrl)
                    .put("byEvents", false).put("base64", true);
            webhook.putObject("headers").put("X-Webhook-Secret", webhookSecret);
            var events = webhook.putArray("events");
            for (String event : EVENTS) {
                events.add(event);
            }
            Answer created = call(baseUrl, apiKey, "POST", "/instance/create", create);
            requireSuccess(created, "create the instance");
            return status(created.body().path("qrcode"), created.body().path("instance").path("status"));
        }
        requireSuccess(answer, "connect the instance");
        return status(answer.body(), answer.body().path("instance").path("state"));
    }

    public Status connectionState(String baseUrl, String apiKey, String instance) {
        Answer answer = call(baseUrl, apiKey, "GET", "/instance/connectionState/" + encode(instance), null);
        requireSuccess(answer, "read the connection state");
        return new Status(State.fromEvolution(text(answer.body().path("instance").path("state"))), null, null, null);
    }

    public void logout(String baseUrl, String apiKey, String instance) {
        requireSuccess(call(baseUrl, apiKey, "DELETE", "/instance/logout/" + encode(instance), null), "log out");
    }

    /**
     * The connection news in an Evolution webhook body, empty for other events.
     *
     * @throws MalformedPayloadException when the body is not JSON
     */
    public Optional<Status> fromWebhook(byte[] body) {
        JsonNode root = JsonFields.readTree(json, body, "Evolution");
        String event = Optional.ofNullable(text(root.path("event"))).orElse("").toLowerCase(Locale.ROOT).replace('_', '.');
        JsonNode data = root.path("data");
        return switch (event) {
            case "connection.update" -> {
                String state = text(data.path("state"));
                yield state == null ? Optional.empty() : Optional.of(new Status(State.fromEvolution(state), null, null,
                        "refused".equalsIgnoreCase(state) ? "The QR code was not scanned in time: connect again for a new one" : null));
            }
            case "qrcode.updated" -> {
                String qr = text(data.path("qrcode").path("base64"));
                yield qr != null ? Optional.of(new Status(State.NEEDS_QR, qr, text(data.path("qrcode").path("pairingCode")), null))
                        : Optional.of(new Status(State.DISCONNECTED, null, null,
                        Optional.ofNullable(text(data.path("message"))).orElse("Evolution stopped offering QR codes")));
            }
            default -> Optional.empty();
        };
    }

    /** A connect answer: a QR code when one is offered, else the state it reports. */
    private static Status status(JsonNode qrcode, JsonNode state) {
        String qr = text(qrcode.path("base64"));
        if (qr != null) {
            return new Status(State.NEEDS_QR, qr, text(qrcode.path("pairingCode")), null);
        }
        return new Status(State.fromEvolution(text(state)), null, null, null);
    }

    private record Answer(int status, JsonNode body, String raw) {
    }

    private Answer call(String baseUrl, String apiKey, String method, String path, ObjectNode body) {
        if (baseUrl == null || apiKey == null) {
            throw new Failure("The channel lacks its Evolution API URL or API key");
        }
        Optional<String> refusal = addressRefusal.apply(baseUrl);
        if (refusal.isPresent()) {
            throw new Failure("Evolution API URL refused: " + refusal.get());
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(ProviderHttp.stripBaseUrl(baseUrl) + path))
                    .timeout(ProviderHttp.REQUEST_TIMEOUT)
                    .header("apikey", apiKey)
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), parse(response.body()), response.body() == null ? "" : response.body());
        } catch (IllegalArgumentException e) {
            throw new Failure("The Evolution API URL is not a valid URL: " + baseUrl);
        } catch (IOException e) {
            throw new Failure("Could not reach Evolution API at " + baseUrl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("Interrupted while calling Evolution API");
        }
    }

    private static void requireSuccess(Answer answer, String what) {
        if (!ProviderHttp.isSuccess(answer.status()) || answer.body().path("error").asBoolean(false)) {
            String message = Optional.ofNullable(text(answer.body().path("response").path("message").path(0)))
                    .or(() -> Optional.ofNullable(text(answer.body().path("response").path("message"))))
                    .or(() -> Optional.ofNullable(text(answer.body().path("message"))))
                    .orElse(ProviderHttp.excerpt(answer.raw()));
            throw new Failure("Evolution API could not " + what + " (HTTP " + answer.status() + "): " + message);
        }
    }

    private static String encode(String instance) {
        return URLEncoder.encode(instance, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode parse(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : json.readTree(body);
            return node == null ? json.missingNode() : node;
        } catch (JacksonException e) {
            return json.missingNode();
        }
    }
}
