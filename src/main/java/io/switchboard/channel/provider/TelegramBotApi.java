package io.switchboard.channel.provider;

import static io.switchboard.channel.provider.JsonFields.text;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Telegram Bot API: {@code POST {base}/bot{token}/sendMessage} with JSON {@code {'chat_id','text'}} (a file: sendPhoto,
 * sendVideo, sendAudio, sendVoice or sendDocument with its address and the text as caption) →
 * {@code {'ok':true,'result':{'message_id':…}}}, and {@code setWebhook} to tell Telegram where to post updates
 * and which secret to put in {@code X-Telegram-Bot-Api-Secret-Token}. Credentials {@code bot_token}. Errors are
 * {@code {'ok':false,'error_code':403,'description':'Forbidden: bot was blocked by the user'}}; 429 says how long
 * to wait in {@code parameters.retry_after}.
 */
public class TelegramBotApi implements ProviderSender {

    /** Telegram takes up to 4,096 characters per text message. */
    public static final int LIMIT = 4096;

    private final String apiBaseUrl;
    private final HttpClient http = ProviderHttp.newClient();
    private final JsonMapper json = JsonMapper.builder().build();

    public TelegramBotApi(String apiBaseUrl) {
        this.apiBaseUrl = ProviderHttp.stripBaseUrl(apiBaseUrl);
    }

    @Override
    public SendResult send(OutboundRequest request) {
        String token = request.credential("bot_token");
        if (token == null) {
            return new SendResult.Permanent("configuration", "Telegram channel lacks its bot_token: complete the channel settings");
        }
        if (request.to() == null || request.to().isBlank()) {
            return new SendResult.Permanent("configuration", "No Telegram chat to send to");
        }
        if (request.mediaUrls().size() > 1) {
            return new SendResult.Permanent("unsupported", "Telegram sends one file per message: send them separately");
        }
        String text = request.text() == null ? "" : request.text().strip();
        if (text.isEmpty() && request.mediaUrls().isEmpty()) {
            return new SendResult.Permanent("configuration", "Nothing to send: the message has no text");
        }
        String chatId = request.to().strip();
        ObjectNode body = json.createObjectNode().put("chat_id", chatId);
        String method = "sendMessage";
        if (request.mediaUrls().isEmpty()) {
            body.put("text", text);
        } else {
            // Telegram fetches the file from the (signed) address; the method follows the file's extension
            String url = request.mediaUrls().get(0);
            String path = url.toLowerCase(java.util.Locale.ROOT).replaceAll("[?#].*$", "");
            String[] kind = path.matches(".*\\.(jpe?g|png|webp)$") ? new String[] {"sendPhoto", "photo"}
                    : path.matches(".*\\.(mp4)$") ? new String[] {"sendVideo", "video"}
                    : path.matches(".*\\.(mp3|m4a)$") ? new String[] {"sendAudio", "audio"}
                    : path.matches(".*\\.(ogg|oga|opus)$") ? new String[] {"sendVoice", "voice"}
                    : new String[] {"sendDocument", "document"};
            method = kind[0];
            body.put(kind[1], url);
            if (!text.isEmpty()) {
                body.put("caption", text);
            }
        }
        String endpoint = method;
        return ProviderHttp.guarded("Telegram", () -> {
            HttpResponse<String> response = call(token, endpoint, body);
            JsonNode answer = parse(response.body());
            if (ProviderHttp.isSuccess(response.statusCode()) && answer.path("ok").asBoolean(false)) {
                String id = text(answer.path("result").path("message_id"));
                return id != null ? new SendResult.Sent(chatId + ":" + id)
                        : new SendResult.Permanent("unexpected_response", "Telegram accepted the message but returned no message_id");
            }
            return failure(response, answer);
        });
    }

    /**
     * Points the bot's updates at {@code url} with {@code secret} in every call's header.
     *
     * @return empty when Telegram confirmed, else why not (readable)
     */
    public java.util.Optional<String> setWebhook(String token, String url, String secret) {
        ObjectNode body = json.createObjectNode().put("url", url).put("secret_token", secret);
        body.putArray("allowed_updates").add("message");
        try {
            HttpResponse<String> response = call(token, "setWebhook", body);
            JsonNode answer = parse(response.body());
            if (ProviderHttp.isSuccess(response.statusCode()) && answer.path("ok").asBoolean(false)) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of("Telegram refused the webhook: " + describe(response, answer));
        } catch (IOException e) {
            return java.util.Optional.of("Could not reach Telegram: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.of("Interrupted while calling Telegram");
        }
    }

    private HttpResponse<String> call(String token, String method, ObjectNode body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiBaseUrl + "/bot" + token + "/" + method))
                .timeout(ProviderHttp.REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static SendResult failure(HttpResponse<String> response, JsonNode answer) {
        int status = answer.path("error_code").isNumber() ? answer.path("error_code").asInt() : response.statusCode();
        String reason = "Telegram answered " + status + ": " + describe(response, answer);
        if (status == 403) {
            reason = "The customer blocked the bot or never started it (Telegram: " + describe(response, answer) + ")";
        }
        if (ProviderHttp.isRetryableStatus(status)) {
            JsonNode wait = answer.path("parameters").path("retry_after");
            return new SendResult.Retryable("http_" + status, reason,
                    wait.isNumber() ? Duration.ofSeconds(wait.asLong()) : ProviderHttp.retryAfter(response));
        }
        return new SendResult.Permanent("http_" + status, reason);
    }

    private static String describe(HttpResponse<String> response, JsonNode answer) {
        String description = text(answer.path("description"));
        return description != null ? description : ProviderHttp.excerpt(response.body());
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
