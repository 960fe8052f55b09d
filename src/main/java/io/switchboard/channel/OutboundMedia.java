package io.switchboard.channel;

import io.switchboard.conversation.Message;
import io.switchboard.media.MediaFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The addresses a provider fetches an outbound message's files from: this server's public URL and a short-lived
 * signed path per file (Twilio and Meta download them as they send; the signature expires soon after).
 */
@Component
class OutboundMedia {

    private static final Logger log = LoggerFactory.getLogger(OutboundMedia.class);

    private final MediaFiles files;
    private final ChannelProperties properties;
    private final Environment environment;
    private final JsonMapper json;

    OutboundMedia(MediaFiles files, ChannelProperties properties, Environment environment, JsonMapper json) {
        this.files = files;
        this.properties = properties;
        this.environment = environment;
        this.json = json;
    }

    /**
     * Where the provider gets the message's files, in order; empty for a message without files. Meta gets the file
     * itself as a {@code data:} URL (its sender uploads it, then sends by id); the others a signed address.
     */
    List<String> urls(Message message, ChannelType type) {
        if (!message.carriesStoredFiles()) {
            return List.of();
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode item : json.readTree(message.media())) {
            String id = item.path("media_id").asString(null);
            if (id == null) {
                continue;
            }
            if (type == ChannelType.META_CLOUD) {
                var file = files.find(UUID.fromString(id)).orElseThrow();
                urls.add("data:" + (file.contentType() == null ? "application/octet-stream" : file.contentType()) + ";name="
                        + java.net.URLEncoder.encode(file.nameWithExtension(), java.nio.charset.StandardCharsets.UTF_8) + ";base64,"
                        + java.util.Base64.getEncoder().encodeToString(files.content(file.id())));
            } else {
                urls.add(base() + files.signedPath(UUID.fromString(id)));
            }
        }
        return urls;
    }

    /**
     * The message's files as the web chat widget shows them: kind, type, name, size ('830 KB') and a signed path
     * (relative to this server) the visitor's browser loads them from, valid for {@code switchboard.media.signed-url-ttl}.
     */
    List<java.util.Map<String, String>> forWidget(Message message) {
        if (!message.carriesStoredFiles()) {
            return List.of();
        }
        List<java.util.Map<String, String>> shown = new ArrayList<>();
        for (JsonNode item : json.readTree(message.media())) {
            String id = item.path("media_id").asString(null);
            if (id != null) {
                String type = item.path("content_type").asString("");
                String size = files.find(UUID.fromString(id)).map(io.switchboard.media.MediaFile::displaySize).orElse("");
                shown.add(java.util.Map.of("url", files.signedPath(UUID.fromString(id)), "content_type", type,
                        "kind", io.switchboard.media.MediaFile.kindOf(type), "filename", item.path("filename").asString(""),
                        "size", size));
            }
        }
        return shown;
    }

    private String base() {
        String configured = properties.publicUrl();
        if (configured != null && !configured.isBlank()) {
            return configured.strip().replaceAll("/+$", "");
        }
        // without a public URL the provider cannot reach us; only a local setup (or a test) gets this far
        log.warn("SWITCHBOARD_PUBLIC_URL is not set: the provider is handed a local address for an attachment and will not reach it");
        return "http://localhost:" + environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
    }
}
