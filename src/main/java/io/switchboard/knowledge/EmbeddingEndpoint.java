package io.switchboard.knowledge;

/**
 * An organization's OpenAI-compatible {@code /embeddings} endpoint: {@code baseUrl} including the version segment
 * (e.g. {@code https://api.openai.com/v1}), the model to ask for, and the bearer key (never shown).
 */
record EmbeddingEndpoint(String baseUrl, String model, String apiKey) {

    /** Prefix of the model name stored with vectors made by an organization's endpoint. */
    static final String PREFIX = "openai-compatible:";

    /** The name recorded with every vector this endpoint makes. */
    String recordedModel() {
        return PREFIX + model;
    }

    @Override
    public String toString() {
        return "EmbeddingEndpoint[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=****]";
    }
}
