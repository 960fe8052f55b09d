package io.switchboard.channel.provider;

import static io.switchboard.channel.provider.JsonFields.text;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends Instagram Direct and Facebook Messenger replies through Meta's Send API:
 * {@code POST {base}/{version}/me/messages} with the page access token as Bearer, JSON
 * {@code {'recipient':{'id':…},'messaging_type':'RESPONSE','message':{'text':…}}} → {@code {'message_id':'m_…'}}; a file
 * as {@code 'message':{'attachment':{'type':'image|video|audio|file','payload':{'url':…,'is_reusable':false}}}}, the URL
 * a short-lived signed address of this server that Meta fetches.
 * Credentials {@code page_access_token}. Errors have the Graph shape {@code {'error':{'code','error_subcode','message'}}};
 * rate limits and 5xx are retryable, the rest permanent (subcode 2018278: outside the 24-hour messaging window).
 */
public class MetaMessagingSender implements ProviderSender {

    /** Messenger takes up to 2,000 characters per text message. */
    public static final int MESSENGER_LIMIT = 2000;
    /** Instagram Direct takes up to 1,000 characters (bytes of UTF-8, in fact) per text message. */
    public static final int INSTAGRAM_LIMIT = 1000;

    private static final ErrorReasons REASONS = new ErrorReasons("Meta", Map.of(
            "2018278", "Outside the 24-hour messaging window: the customer must write again before a reply can be sent",
            "2018108", "The customer cannot receive messages from this account right now",
            "551", "The customer cannot receive messages from this account right now",
            "190", "The page access token expired or is invalid: generate a new one",
            "10", "Permission denied: the page access token lacks the messaging permission, or the window closed",
            "200", "Permission denied: the app lacks the messaging permission for this account"));

    private final String apiBaseUrl;
    private final String apiVersion;
    private final String provider;
    private final HttpClient http = ProviderHttp.newClient();
    private final JsonMapper json = JsonMapper.builder().build();

    /** @param provider how errors name the service: Instagram or Messenger */
    public MetaMessagingSender(String apiBaseUrl, String apiVersion, String provider) {
        this.apiBaseUrl = ProviderHttp.stripBaseUrl(apiBaseUrl);
        this.apiVersion = apiVersion;
        this.provider = provider;
    }

    @Override
    public SendResult send(OutboundRequest request) {
        String token = request.credential("page_access_token");
        if (token == null) {
            return new SendResult.Permanent("configuration", provider + " channel lacks its page_access_token: complete the channel settings");
        }
        if (request.to() == null || request.to().isBlank()) {
            return new SendResult.Permanent("configuration", "No " + provider + " user to send to");
        }
        String text = request.text() == null ? "" : request.text().strip();
        ObjectNode body = json.createObjectNode();
        body.putObject("recipient").put("id", request.to().strip());
        body.put("messaging_type", "RESPONSE");
        if (!request.mediaUrls().isEmpty()) {
            // one attachment per message, and no caption: the Send API takes text or an attachment, never both
            if (request.mediaUrls().size() > 1) {
                return new SendResult.Permanent("unsupported", provider + " sends one file per message: send the "
                        + request.mediaUrls().size() + " files as separate messages");
            }
            if (!text.isEmpty()) {
                return new SendResult.Permanent("unsupported", provider + " cannot send text with a file: send the text "
                        + "as its own message");
            }
            String url = request.mediaUrls().get(0);
            if (url.startsWith("data:")) {
                return new SendResult.Permanent("configuration", provider + " fetches files from this server's public "
                        + "address: set SWITCHBOARD_PUBLIC_URL");
            }
            body.putObject("message").putObject("attachment").put("type", attachmentType(url))
                    .putObject("payload").put("url", url).put("is_reusable", false);
        } else if (text.isEmpty()) {
            return new SendResult.Permanent("configuration", "Nothing to send: the message has no text");
        } else {
            body.putObject("message").put("text", text);
        }
        HttpRequest httpRequest = HttpRequest.newBuilder(URI.create(apiBaseUrl + "/" + apiVersion + "/me/messages"))
                .timeout(ProviderHttp.REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        return ProviderHttp.guarded(provider, () -> verdict(http.send(httpRequest, HttpResponse.BodyHandlers.ofString())));
    }

    /** The Send API's attachment type by the file's extension (the signed address ends with the file's name). */
    static String attachmentType(String url) {
        String path = url.toLowerCase(java.util.Locale.ROOT).replaceAll("[?#].*$", "");
        if (path.matches(".*\\.(jpe?g|png|gif|webp)$")) {
            return "image";
        }
        if (path.matches(".*\\.(mp4|mov|3gp?p)$")) {
            return "video";
        }
        if (path.matches(".*\\.(aac|mp3|m4a|ogg|opus|wav)$")) {
            return "audio";
        }
        return "file";
    }

    private SendResult verdict(HttpResponse<String> response) {
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (ProviderHttp.isSuccess(status)) {
            String id = text(body.path("message_id"));
            return id != null ? new SendResult.Sent(id)
                    : new SendResult.Permanent("unexpected_response",
                    provider + " accepted the message but returned no message_id: " + ProviderHttp.excerpt(response.body()));
        }
        JsonNode error = body.path("error");
        String code = text(error.path("code"));
        String subcode = text(error.path("error_subcode"));
        String known = subcode != null && REASONS.known().containsKey(subcode) ? subcode : code;
        String reason = known != null ? REASONS.reason(known, text(error.path("message")))
                : provider + " answered HTTP " + status + ": " + ProviderHttp.excerpt(response.body());
        String resultCode = known != null ? known : "http_" + status;
        if (ProviderHttp.isRetryableStatus(status) || (code != null && MetaErrors.RETRYABLE_CODES.contains(code))) {
            return new SendResult.Retryable(resultCode, reason, ProviderHttp.retryAfter(response));
        }
        return new SendResult.Permanent(resultCode, reason);
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
