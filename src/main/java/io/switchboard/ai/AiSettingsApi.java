package io.switchboard.ai;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The organization's LLM connection: any OpenAI-compatible endpoint and its key. The key is stored
 * encrypted and never returned; without one, the installation's OPENAI_API_KEY is used, and without that
 * the offline FAQ responder answers.
 */
@RestController
@RequestMapping("/api/v1/settings/llm")
@PreAuthorize("hasRole('ADMIN')")
class AiSettingsApi {

    private final LlmConnections connections;

    AiSettingsApi(LlmConnections connections) {
        this.connections = connections;
    }

    record LlmConnection(@Size(max = 500) String apiKey,
                         @Size(max = 500) @Pattern(regexp = "https?://.+", message = "must be an http(s) URL such as https://api.openai.com/v1") String baseUrl) {
    }

    @GetMapping
    Map<String, Object> get() {
        return view(connections.view());
    }

    /** Sets what is given; an empty api_key removes the organization's key. */
    @PutMapping
    Map<String, Object> put(@Valid @RequestBody LlmConnection body) {
        return view(connections.update(body.apiKey(), body.baseUrl()));
    }

    private static Map<String, Object> view(LlmConnections.Connection connection) {
        return Map.of("api_key_set", connection.apiKeySet(), "base_url", connection.baseUrl());
    }
}
