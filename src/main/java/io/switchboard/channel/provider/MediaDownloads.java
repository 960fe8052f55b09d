package io.switchboard.channel.provider;

import static io.switchboard.channel.provider.JsonFields.text;

import io.switchboard.media.MediaSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Downloads a customer's file from each provider, the way each keeps them:
 * <ul>
 *   <li>Twilio: {@code MediaUrlN} with the account's Basic auth; Twilio answers with a redirect to a short-lived
 *       address on its CDN, followed without the credentials.</li>
 *   <li>Meta: {@code GET /{version}/{media-id}} with the token gives a short-lived {@code url}, downloaded with the
 *       same token.</li>
 *   <li>Evolution API: {@code POST /chat/getBase64FromMediaMessage/{instance}} with the message key id gives the
 *       decrypted file as base64 (WhatsApp's own media addresses are encrypted).</li>
 *   <li>Telegram: {@code getFile} by file_id, then the file path; Instagram and Messenger: the attachment's CDN url.</li>
 * </ul>
 * Reads at most the limit plus one byte; never throws for provider or network trouble.
 */
public class MediaDownloads {

    private final String twilioBaseUrl;
    private final String metaBaseUrl;
    private final String metaVersion;
    private final Function<String, Optional<String>> addressRefusal;
    private final HttpClient http = ProviderHttp.newClient();
    private final JsonMapper json = JsonMapper.builder().build();

    /** @param addressRefusal why a tenant-set address may not be called (Evolution's base URL), empty when it may */
    public MediaDownloads(String twilioBaseUrl, String metaBaseUrl, String metaVersion, Function<String, Optional<String>> addressRefusal) {
        this.twilioBaseUrl = ProviderHttp.stripBaseUrl(twilioBaseUrl);
        this.metaBaseUrl = ProviderHttp.stripBaseUrl(metaBaseUrl);
        this.metaVersion = metaVersion;
        this.addressRefusal = addressRefusal;
    }

    public MediaSource.Download twilio(String url, String accountSid, String authToken, long maxBytes) {
        if (url == null || accountSid == null || authToken == null) {
            return new MediaSource.Failed(false, "Twilio media URL or the account's credentials are missing");
        }
        // the credentials go only to Twilio's own API, whatever address a payload names
        if (!url.startsWith(twilioBaseUrl + "/")) {
            return new MediaSource.Failed(false, "Twilio media URL is not on " + twilioBaseUrl + ": " + url);
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
        return guarded("Twilio", () -> {
            HttpResponse<InputStream> first = http.send(get(url).header("Authorization", basic).build(), HttpResponse.BodyHandlers.ofInputStream());
            if (first.statusCode() / 100 == 3 && first.headers().firstValue("Location").isPresent()) {
                first.body().close();
                URI next = URI.create(url).resolve(first.headers().firstValue("Location").get());
                return body("Twilio", http.send(get(next.toString()).build(), HttpResponse.BodyHandlers.ofInputStream()), maxBytes, null);
            }
            return body("Twilio", first, maxBytes, null);
        });
    }

    public MediaSource.Download meta(String mediaId, String accessToken, long maxBytes) {
        if (mediaId == null || accessToken == null) {
            return new MediaSource.Failed(false, "Meta media id or the account's access_token is missing");
        }
        String bearer = "Bearer " + accessToken;
        return guarded("Meta", () -> {
            HttpResponse<String> lookup = http.send(get(metaBaseUrl + "/" + metaVersion + "/" + URLEncoder.encode(mediaId, StandardCharsets.UTF_8))
                    .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString());
            if (!ProviderHttp.isSuccess(lookup.statusCode())) {
                return failed("Meta", lookup.statusCode(), lookup.body());
            }
            JsonNode found = parse(lookup.body());
            String url = text(found.path("url"));
            if (url == null) {
                return new MediaSource.Failed(false, "Meta gave no url for media " + mediaId + ": " + ProviderHttp.excerpt(lookup.body()));
            }
            if (found.path("file_size").asLong(0) > maxBytes) {
                return new MediaSource.TooLarge(found.path("file_size").asLong());
            }
            return body("Meta", http.send(get(url).header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofInputStream()),
                    maxBytes, text(found.path("mime_type")));
        });
    }

    public MediaSource.Download evolution(String baseUrl, String instance, String apiKey, String messageKeyId, long maxBytes) {
        if (baseUrl == null || instance == null || apiKey == null || messageKeyId == null) {
            return new MediaSource.Failed(false, "Evolution base_url, instance, api_key or the message key is missing");
        }
        Optional<String> refusal = addressRefusal.apply(baseUrl);
        if (refusal.isPresent()) {
            return new MediaSource.Failed(false, "Evolution base_url refused: " + refusal.get());
        }
        String request = json.createObjectNode().<tools.jackson.databind.node.ObjectNode>set("message",
                json.createObjectNode().set("key", json.createObjectNode().put("id", messageKeyId))).put("convertToMp4", false).toString();
        return guarded("Evolution API", () -> {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(ProviderHttp.stripBaseUrl(baseUrl)
                            + "/chat/getBase64FromMediaMessage/" + URLEncoder.encode(instance, StandardCharsets.UTF_8).replace("+", "%20")))
                    .timeout(ProviderHttp.REQUEST_TIMEOUT).header("apikey", apiKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofInputStream());
            // base64 is 4/3 of the file, plus the JSON around it
            MediaSource.Download raw = body("Evolution API", response, maxBytes / 3 * 4 + 64 * 1024, null);
            if (!(raw instanceof MediaSource.Fetched fetched)) {
                return raw instanceof MediaSource.TooLarge ? new MediaSource.TooLarge(maxBytes + 1) : raw;
            }
            JsonNode answer = parse(new String(fetched.bytes(), StandardCharsets.UTF_8));
            String base64 = text(answer.path("base64"));
            if (base64 == null) {
                return new MediaSource.Failed(false, "Evolution API returned no base64 for message " + messageKeyId);
            }
            byte[] bytes;
            try {
                bytes = Base64.getMimeDecoder().decode(base64.contains(",") ? base64.substring(base64.indexOf(',') + 1) : base64);
            } catch (IllegalArgumentException e) {
                return new MediaSource.Failed(false, "Evolution API returned invalid base64 for message " + messageKeyId);
            }
            if (bytes.length > maxBytes) {
                return new MediaSource.TooLarge(bytes.length);
            }
            return new MediaSource.Fetched(bytes, text(answer.path("mimetype")), text(answer.path("fileName")));
        });
    }

    /** Telegram: {@code GET {base}/bot{token}/getFile?file_id=…} → {@code file_path} → {@code GET {base}/file/bot{token}/{file_path}}. */
    public MediaSource.Download telegram(String apiBaseUrl, String botToken, String fileId, long maxBytes) {
        if (botToken == null || fileId == null) {
            return new MediaSource.Failed(false, "Telegram file_id or the bot_token is missing");
        }
        String base = ProviderHttp.stripBaseUrl(apiBaseUrl);
        return guarded("Telegram", () -> {
            HttpResponse<String> lookup = http.send(get(base + "/bot" + botToken + "/getFile?file_id="
                    + URLEncoder.encode(fileId, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode found = parse(lookup.body()).path("result");
            String path = text(found.path("file_path"));
            if (!ProviderHttp.isSuccess(lookup.statusCode()) || path == null) {
                // the Bot API serves files up to 20 MB; a larger one has no file_path
                return lookup.statusCode() == 400 && lookup.body().contains("too big") ? new MediaSource.TooLarge(maxBytes + 1)
                        : failed("Telegram", lookup.statusCode(), lookup.body());
            }
            if (found.path("file_size").asLong(0) > maxBytes) {
                return new MediaSource.TooLarge(found.path("file_size").asLong());
            }
            return body("Telegram", http.send(get(base + "/file/bot" + botToken + "/" + path).build(),
                    HttpResponse.BodyHandlers.ofInputStream()), maxBytes, null);
        });
    }

    /**
     * Instagram Direct and Messenger: the attachment's {@code payload.url} is a short-lived address on Meta's CDN,
     * fetched without credentials (through the address guard: it comes from a payload).
     */
    public MediaSource.Download metaMessaging(String url, long maxBytes) {
        if (url == null) {
            return new MediaSource.Failed(false, "the attachment has no url");
        }
        Optional<String> refusal = addressRefusal.apply(url);
        if (refusal.isPresent()) {
            return new MediaSource.Failed(false, "attachment address refused: " + refusal.get());
        }
        return guarded("Meta", () -> body("Meta", http.send(get(url).build(), HttpResponse.BodyHandlers.ofInputStream()), maxBytes, null));
    }

    private static HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(ProviderHttp.REQUEST_TIMEOUT).GET();
    }

    private static MediaSource.Download body(String provider, HttpResponse<InputStream> response, long maxBytes, String mimeType)
            throws IOException {
        try (InputStream in = response.body()) {
            if (!ProviderHttp.isSuccess(response.statusCode())) {
                return failed(provider, response.statusCode(), new String(in.readNBytes(2000), StandardCharsets.UTF_8));
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                return new MediaSource.TooLarge(declared);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int read; (read = in.read(buffer)) >= 0; ) {
                total += read;
                if (total > maxBytes) {
                    return new MediaSource.TooLarge(total);
                }
                out.write(buffer, 0, read);
            }
            String served = response.headers().firstValue("Content-Type").orElse(null);
            return new MediaSource.Fetched(out.toByteArray(), mimeType != null ? mimeType : served, null);
        }
    }

    private static MediaSource.Download failed(String provider, int status, String body) {
        return new MediaSource.Failed(ProviderHttp.isRetryableStatus(status),
                provider + " answered HTTP " + status + " to the media download: " + ProviderHttp.excerpt(body));
    }

    private JsonNode parse(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : json.readTree(body);
            return node == null ? json.missingNode() : node;
        } catch (JacksonException e) {
            return json.missingNode();
        }
    }

    private interface Download {
        MediaSource.Download run() throws IOException, InterruptedException;
    }

    private static MediaSource.Download guarded(String provider, Download download) {
        try {
            return download.run();
        } catch (IOException | IllegalArgumentException e) {
            return new MediaSource.Failed(true, "Could not download from " + provider + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new MediaSource.Failed(true, "Downloading from " + provider + " was interrupted");
        }
    }
}
