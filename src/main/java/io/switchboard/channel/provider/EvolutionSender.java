package io.switchboard.channel.provider;

import static io.switchboard.channel.provider.JsonFields.text;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends through a self-hosted Evolution API v2: {@code POST {base_url}/message/sendText/{instance}}
 * with header {@code apikey}, body {@code {'number':'<digits>','text':'…'}}. Config {@code base_url},
 * {@code instance}; credentials {@code api_key}. 429, 5xx and network errors are retryable; other
 * 4xx are permanent with Evolution's message (e.g. the number is not on WhatsApp).
 *
 * <p>A file goes through {@code POST {base_url}/message/sendMedia/{instance}} (one per message, the text as its
 * caption): Evolution fetches it from the given address, whose last path segment is the file name.
 */
public class EvolutionSender implements ProviderSender {

    private final HttpClient http = ProviderHttp.newClient();
    /** Why a base URL may not be called (the outbound guard), empty when it may. */
    private final Function<String, Optional<String>> addressRefusal;

    public EvolutionSender(Function<String, Optional<String>> addressRefusal) {
        this.addressRefusal = addressRefusal;
    }
    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public SendResult send(OutboundRequest request) {
        String baseUrl = request.setting("base_url");
        String instance = request.setting("instance");
        String apiKey = request.credential("api_key");
        if (baseUrl == null || instance == null || apiKey == null) {
            return new SendResult.Permanent("configuration",
                    "Evolution channel lacks its base_url, instance or api_key: complete the channel settings");
        }
        Optional<String> refusal = addressRefusal.apply(baseUrl);
        if (refusal.isPresent()) {
            return new SendResult.Permanent("refused_address", "Evolution base_url refused: " + refusal.get());
        }
        if (request.mediaUrls().size() > 1) {
            return new SendResult.Permanent("unsupported", "Evolution API sends one file per message: send the "
                    + request.mediaUrls().size() + " files as separate messages");
        }
        String text = request.text() == null ? "" : request.text().strip();
        if (text.isEmpty() && request.mediaUrls().isEmpty()) {
            return new SendResult.Permanent("configuration", "Nothing to send: the message has no text");
        }
        String number = number(request.to());
        if (number.isEmpty()) {
            return new SendResult.Permanent("configuration", "No WhatsApp number to send to");
        }

        ObjectNode body = json.createObjectNode().put("number", number);
        if (request.mediaUrls().isEmpty()) {
            body.put("text", text);
        } else {
            // POST /message/sendMedia: Evolution fetches the file from the (signed) address and sends it, captioned
            String url = request.mediaUrls().get(0);
            String fileName = java.net.URLDecoder.decode(url.replaceAll("[?#].*$", "").replaceAll("^.*/", ""), StandardCharsets.UTF_8);
            String mimeType = java.net.URLConnection.guessContentTypeFromName(fileName);
            String kind = mimeType == null ? "document" : mimeType.startsWith("image/") ? "image" : mimeType.startsWith("video/") ? "video"
                    : mimeType.startsWith("audio/") ? "audio" : "document";
            body.put("mediatype", kind).put("media", url).put("fileName", fileName);
            if (mimeType != null) {
                body.put("mimetype", mimeType);
            }
            if (!text.isEmpty()) {
                body.put("caption", text);
            }
        }
        URI uri;
        try {
            uri = URI.create(ProviderHttp.stripBaseUrl(baseUrl) + (request.mediaUrls().isEmpty() ? "/message/sendText/" : "/message/sendMedia/")
                    + URLEncoder.encode(instance, StandardCharsets.UTF_8).replace("+", "%20"));
        } catch (IllegalArgumentException e) {
            return new SendResult.Permanent("configuration", "Evolution base_url is not a valid URL: " + baseUrl);
        }
        HttpRequest httpRequest = HttpRequest.newBuilder(uri)
                .timeout(ProviderHttp.REQUEST_TIMEOUT)
                .header("apikey", apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        return ProviderHttp.guarded("Evolution API", () -> verdict(http.send(httpRequest, HttpResponse.BodyHandlers.ofString())));
    }

    private SendResult verdict(HttpResponse<String> response) {
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (ProviderHttp.isSuccess(status)) {
            String id = text(body.path("key").path("id"));
            return id != null ? new SendResult.Sent(id)
                    // Accepted but unreadable: retrying could send twice, so stop and surface it.
                    : new SendResult.Permanent("unexpected_response",
                    "Evolution API accepted the message but returned no key.id: " + ProviderHttp.excerpt(response.body()));
        }
        String reason = "Evolution API answered HTTP " + status + ": " + describe(body, response.body());
        if (ProviderHttp.isRetryableStatus(status)) {
            return new SendResult.Retryable("http_" + status, reason, ProviderHttp.retryAfter(response));
        }
        return new SendResult.Permanent("http_" + status, reason);
    }

    /**
     * Evolution errors look like {@code {'status':400,'error':'Bad Request','response':{'message':[…]}}},
     * where a message item may be text or {@code {'exists':false,'number':'…'}}.
     */
    private static String describe(JsonNode body, String raw) {
        JsonNode message = body.path("response").path("message");
        if (message.isMissingNode()) {
            message = body.path("message");
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode item : message.isArray() ? message : List.of(message)) {
            if (item.isObject() && item.path("exists").isBoolean() && !item.path("exists").asBoolean()) {
                parts.add("the number " + text(item.path("number")) + " is not on WhatsApp");
            } else if (text(item) != null) {
                parts.add(text(item));
            } else if (item.isContainer()) {
                parts.add(item.toString());
            }
        }
        if (parts.isEmpty() && text(body.path("error")) != null) {
            parts.add(text(body.path("error")));
        }
        return parts.isEmpty() ? ProviderHttp.excerpt(raw) : String.join("; ", parts);
    }

    /** Evolution wants bare digits; a full JID (group, LID) is passed through untouched. */
    private static String number(String to) {
        if (to == null) {
            return "";
        }
        String trimmed = to.strip();
        return trimmed.contains("@") ? trimmed : trimmed.replaceAll("\\D", "");
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
