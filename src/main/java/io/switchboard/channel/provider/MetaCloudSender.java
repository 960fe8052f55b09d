package io.switchboard.channel.provider;

import static io.switchboard.channel.provider.JsonFields.text;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends through the Meta WhatsApp Cloud API: {@code POST {base}/{version}/{phone_number_id}/messages}
 * with a Bearer token. Credentials {@code access_token}; config {@code phone_number_id}.
 *
 * <p>Text goes as a {@code text} message; one media URL goes as an image/video/audio/document
 * message (by file extension) with the text as caption — a {@code data:} URL is uploaded first
 * ({@code POST /{phone-number-id}/media}) and sent by its media id. Meta accepts one media per message, so
 * several media URLs are refused: send them as separate requests. HTTP 429, 5xx and Meta's
 * rate-limit/temporary codes are retryable; everything else is permanent with a readable reason
 * (131047: outside the 24-hour window).
 */
public class MetaCloudSender implements ProviderSender {

    public static final String DEFAULT_API_BASE_URL = "https://graph.facebook.com";
    public static final String DEFAULT_API_VERSION = "v21.0";

    private final String apiBaseUrl;
    private final String apiVersion;
    private final HttpClient http = ProviderHttp.newClient();
    private final JsonMapper json = JsonMapper.builder().build();

    public MetaCloudSender() {
        this(DEFAULT_API_BASE_URL, DEFAULT_API_VERSION);
    }

    public MetaCloudSender(String apiBaseUrl, String apiVersion) {
        this.apiBaseUrl = ProviderHttp.stripBaseUrl(apiBaseUrl);
        this.apiVersion = apiVersion;
    }

    @Override
    public SendResult send(OutboundRequest request) {
        String accessToken = request.credential("access_token");
        String phoneNumberId = request.setting("phone_number_id");
        if (accessToken == null || phoneNumberId == null) {
            return new SendResult.Permanent("configuration",
                    "Meta channel lacks its access_token or phone_number_id: complete the channel settings");
        }
        String to = request.to() == null ? "" : request.to().replaceAll("\\D", "");
        if (to.isEmpty()) {
            return new SendResult.Permanent("configuration", "No WhatsApp number to send to");
        }
        if (request.mediaUrls().size() > 1) {
            return new SendResult.Permanent("unsupported",
                    "Meta sends one media per message: split the " + request.mediaUrls().size() + " attachments into separate messages");
        }
        String text = request.text() == null ? "" : request.text().strip();

        ObjectNode body = json.createObjectNode()
                .put("messaging_product", "whatsapp")
                .put("recipient_type", "individual")
                .put("to", to);
        if (request.template() != null) {
            template(body, request.template());
        } else if (request.mediaUrls().isEmpty()) {
            if (text.isEmpty()) {
                return new SendResult.Permanent("configuration", "Nothing to send: the message has no text and no media");
            }
            body.put("type", "text");
            body.putObject("text").put("preview_url", false).put("body", text);
        } else {
            String url = request.mediaUrls().get(0);
            String type;
            ObjectNode media;
            if (url.startsWith("data:")) {
                // upload, then send by id: Meta keeps the file, and this server need not be reachable from outside
                DataUrl file = DataUrl.parse(url);
                Uploaded uploaded = upload(file, phoneNumberId, accessToken);
                if (uploaded.failure() != null) {
                    return uploaded.failure();
                }
                type = file.kind();
                media = body.put("type", type).putObject(type).put("id", uploaded.id());
                if (type.equals("document") && file.name() != null) {
                    media.put("filename", file.name());
                }
            } else {
                type = mediaType(url);
                media = body.put("type", type).putObject(type).put("link", url);
            }
            if (type.equals("document") && !media.has("filename") && !url.startsWith("data:")) {
                // the customer sees the document's name; the address's last segment carries it
                media.put("filename", java.net.URLDecoder.decode(url.replaceAll("[?#].*$", "").replaceAll("^.*/", ""), StandardCharsets.UTF_8));
            }
            if (!text.isEmpty()) {
                if (type.equals("audio")) {
                    return new SendResult.Permanent("unsupported",
                            "Meta cannot caption audio: send the text as a separate message");
                }
                media.put("caption", text);
            }
        }

        HttpRequest httpRequest = HttpRequest.newBuilder(URI.create(apiBaseUrl + "/" + apiVersion + "/"
                        + URLEncoder.encode(phoneNumberId, StandardCharsets.UTF_8) + "/messages"))
                .timeout(ProviderHttp.REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        return ProviderHttp.guarded("Meta", () -> verdict(http.send(httpRequest, HttpResponse.BodyHandlers.ofString())));
    }

    /** A file given inline as {@code data:<mime>;name=<url-encoded name>;base64,<bytes>}. */
    record DataUrl(String mimeType, String name, byte[] bytes) {
        static DataUrl parse(String url) {
            int comma = url.indexOf(',');
            String[] header = url.substring("data:".length(), comma).split(";");
            String name = null;
            for (String part : header) {
                if (part.startsWith("name=")) {
                    name = java.net.URLDecoder.decode(part.substring(5), StandardCharsets.UTF_8);
                }
            }
            return new DataUrl(header[0], name, java.util.Base64.getDecoder().decode(url.substring(comma + 1)));
        }

        /** Meta's message type for the file: image (JPEG, PNG), audio, video, else document. */
        String kind() {
            String mime = mimeType.toLowerCase(Locale.ROOT);
            return mime.equals("image/jpeg") || mime.equals("image/png") ? "image" : mime.startsWith("audio/") ? "audio"
                    : mime.startsWith("video/") ? "video" : "document";
        }
    }

    /** The media id Meta gave an upload, or why there is none. */
    private record Uploaded(String id, SendResult failure) {
    }

    /** {@code POST /{version}/{phone-number-id}/media} (multipart: messaging_product, type, file) → {@code {id}}. */
    private Uploaded upload(DataUrl file, String phoneNumberId, String accessToken) {
        String boundary = "----switchboard" + java.util.UUID.randomUUID().toString().replace("-", "");
        java.io.ByteArrayOutputStream form = new java.io.ByteArrayOutputStream();
        for (String[] field : new String[][] {{"messaging_product", "whatsapp"}, {"type", file.mimeType()}}) {
            form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n" + field[1] + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        String name = file.name() == null ? "file" : file.name().replace("\"", "");
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\nContent-Type: "
                + file.mimeType() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        form.writeBytes(file.bytes());
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest upload = HttpRequest.newBuilder(URI.create(apiBaseUrl + "/" + apiVersion + "/"
                        + URLEncoder.encode(phoneNumberId, StandardCharsets.UTF_8) + "/media"))
                .timeout(ProviderHttp.REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray()))
                .build();
        try {
            HttpResponse<String> response = http.send(upload, HttpResponse.BodyHandlers.ofString());
            String id = text(parse(response.body()).path("id"));
            if (ProviderHttp.isSuccess(response.statusCode()) && id != null) {
                return new Uploaded(id, null);
            }
            SendResult failed = verdict(response);
            // an upload sends nothing to the customer: trying it again is always safe
            return new Uploaded(null, failed instanceof SendResult.Sent ? new SendResult.Permanent("unexpected_response",
                    "Meta accepted the upload but returned no id: " + ProviderHttp.excerpt(response.body())) : failed);
        } catch (java.io.IOException e) {
            return new Uploaded(null, new SendResult.Retryable("network", "Could not upload the file to Meta: " + e.getMessage(), null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Uploaded(null, new SendResult.Retryable("network", "Uploading the file to Meta was interrupted", null));
        }
    }

    /** {@code type: template} with the body variables as text parameters. */
    private static void template(ObjectNode body, TemplateMessage template) {
        ObjectNode node = body.put("type", "template").putObject("template").put("name", template.name());
        node.putObject("language").put("code", template.language());
        if (!template.variables().isEmpty()) {
            var parameters = node.putArray("components").addObject().put("type", "body").putArray("parameters");
            template.variables().forEach(value -> parameters.addObject().put("type", "text").put("text", value));
        }
    }

    private SendResult verdict(HttpResponse<String> response) {
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (ProviderHttp.isSuccess(status)) {
            String id = text(body.path("messages").path(0).path("id"));
            return id != null ? new SendResult.Sent(id)
                    // Accepted but unreadable: retrying could send twice, so stop and surface it.
                    : new SendResult.Permanent("unexpected_response",
                    "Meta accepted the message but returned no id: " + ProviderHttp.excerpt(response.body()));
        }
        JsonNode error = body.path("error");
        String code = text(error.path("code"));
        String providerMessage = Optional.ofNullable(text(error.path("error_data").path("details")))
                .orElse(text(error.path("message")));
        String reason = code != null ? MetaErrors.reason(code, providerMessage)
                : "Meta answered HTTP " + status + ": " + ProviderHttp.excerpt(response.body());
        String resultCode = code != null ? code : "http_" + status;
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

    /** Meta needs the media kind up front; guess it from the URL's extension, else send a document. */
    private static String mediaType(String url) {
        String path = url.toLowerCase(Locale.ROOT).replaceAll("[?#].*$", "");
        if (path.matches(".*\\.(jpe?g|png)$")) {
            return "image";
        }
        if (path.matches(".*\\.(mp4|3gp?p)$")) {
            return "video";
        }
        if (path.matches(".*\\.(aac|amr|mp3|m4a|ogg|opus)$")) {
            return "audio";
        }
        return "document";
    }
}
