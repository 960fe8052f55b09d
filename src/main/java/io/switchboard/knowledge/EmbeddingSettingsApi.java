package io.switchboard.knowledge;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The organization's embedding model (ADMIN): the in-process one by default, or its own OpenAI-compatible
 * {@code /embeddings} endpoint. Changing the model re-embeds the organization's chunks and memories in the background.
 */
@RestController
@RequestMapping("/api/v1/settings/embeddings")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "Knowledge bases")
class EmbeddingSettingsApi {

    private final EmbeddingSettings settings;
    private final Reembedding reembedding;

    EmbeddingSettingsApi(EmbeddingSettings settings, Reembedding reembedding) {
        this.settings = settings;
        this.reembedding = reembedding;
    }

    record EmbeddingRequest(String baseUrl, String model, String apiKey) {
    }

    @GetMapping
    @Operation(summary = "The embedding endpoint (the key is never shown) and the model in use (active_model)")
    EmbeddingSettings.View get() {
        return settings.view();
    }

    @PutMapping
    @Operation(summary = "Set base_url, model and api_key (null keeps a value; blank model or base_url: back to the in-process model)")
    EmbeddingSettings.View put(@RequestBody EmbeddingRequest body) {
        return reembedding.configure(body.baseUrl(), body.model(), body.apiKey());
    }
}
