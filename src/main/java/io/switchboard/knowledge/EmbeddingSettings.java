package io.switchboard.knowledge;

import io.switchboard.identity.Settings;
import io.switchboard.outbound.OutboundGuard;
import io.switchboard.refusal.InvalidInput;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whether the current organization embeds with its own OpenAI-compatible {@code /embeddings} endpoint: its address
 * and model as a plain setting, its key encrypted and never shown. Without both a model and a key the in-process
 * model is used.
 */
@Component
class EmbeddingSettings {

    static final String ENDPOINT = "knowledge.embeddings";
    static final String API_KEY = "knowledge.embeddings_api_key";

    /** What an administrator may see. */
    record View(String baseUrl, String model, boolean apiKeySet, String activeModel) {
    }

    private final Settings settings;
    private final OutboundGuard guard;
    private final JsonMapper json;

    EmbeddingSettings(Settings settings, OutboundGuard guard, JsonMapper json) {
        this.settings = settings;
        this.guard = guard;
        this.json = json;
    }

    Optional<EmbeddingEndpoint> endpoint() {
        Optional<String> stored = settings.json(ENDPOINT);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        var node = json.readTree(stored.get());
        String baseUrl = node.path("base_url").asString("");
        String model = node.path("model").asString("");
        if (baseUrl.isBlank() || model.isBlank()) {
            return Optional.empty();
        }
        return settings.secret(API_KEY).filter(k -> !k.isBlank()).map(key -> new EmbeddingEndpoint(baseUrl, model, key));
    }

    View view() {
        Optional<String> stored = settings.json(ENDPOINT);
        var node = stored.map(json::readTree).orElse(json.createObjectNode());
        boolean keySet = settings.secret(API_KEY).filter(k -> !k.isBlank()).isPresent();
        return new View(node.path("base_url").asString(""), node.path("model").asString(""), keySet,
                endpoint().map(EmbeddingEndpoint::recordedModel).orElse(TextEmbeddings.MODEL));
    }

    /**
     * Changes what is given: null keeps a value; a blank model or base URL goes back to the in-process model; a
     * blank key removes the key.
     */
    void update(String baseUrl, String model, String apiKey) {
        var current = settings.json(ENDPOINT).map(json::readTree).orElse(json.createObjectNode());
        String url = baseUrl == null ? current.path("base_url").asString("") : baseUrl.strip();
        String name = model == null ? current.path("model").asString("") : model.strip();
        if (!url.isBlank()) {
            if (!url.matches("https?://.+")) {
                throw new InvalidInput("base_url must be an http(s) URL such as https://api.openai.com/v1");
            }
            guard.requireAllowed("base_url", url);
            url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
        if (name.length() > 200) {
            throw new InvalidInput("model must have at most 200 characters");
        }
        if (url.isBlank() && name.isBlank()) {
            settings.remove(ENDPOINT);
        } else {
            settings.putJson(ENDPOINT, json.createObjectNode().put("base_url", url).put("model", name).toString());
        }
        if (apiKey != null) {
            if (apiKey.isBlank()) {
                settings.remove(API_KEY);
            } else {
                settings.putSecret(API_KEY, apiKey.strip());
            }
        }
    }
}
