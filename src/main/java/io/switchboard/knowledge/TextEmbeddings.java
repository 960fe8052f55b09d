package io.switchboard.knowledge;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.switchboard.database.TenantScope;
import io.switchboard.outbound.OutboundFailure;
import io.switchboard.outbound.OutboundHttp;
import io.switchboard.outbound.OutboundResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Text to vectors for the current organization: by default the in-process model (all-MiniLM-L6-v2, ONNX, 384
 * dimensions, loaded on first use, once per JVM); when the organization configured its own OpenAI-compatible
 * {@code /embeddings} endpoint ({@link EmbeddingSettings}), that endpoint, through the outbound guard. The model's
 * name is stored with every vector ({@link #model()}), and a search embeds the question with the organization's
 * current model and compares it only with vectors of that model — models never mix. Vectors are L2-normalized
 * here, so a dot product is the cosine.
 */
@Component
class TextEmbeddings {

    static final String MODEL = "all-minilm-l6-v2";
    static final int DIMENSIONS = 384;
    /** Texts per request to a remote endpoint (OpenAI accepts up to 2048 inputs). */
    static final int REMOTE_BATCH = 64;
    static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(30);

    /** The remote endpoint did not give vectors; the message says why (shown when indexing fails). */
    static final class EmbeddingUnavailable extends RuntimeException {
        EmbeddingUnavailable(String message) {
            super(message);
        }
    }

    private final EmbeddingSettings settings;
    private final OutboundHttp outbound;
    private final JsonMapper json;

    TextEmbeddings(EmbeddingSettings settings, OutboundHttp outbound, JsonMapper json) {
        this.settings = settings;
        this.outbound = outbound;
        this.json = json;
    }

    /** The model whose vectors the current organization stores and searches (the in-process one outside any tenant). */
    String model() {
        return endpoint().map(EmbeddingEndpoint::recordedModel).orElse(MODEL);
    }

    float[] embed(String text) {
        return embedAll(List.of(text)).get(0);
    }

    List<float[]> embedAll(List<String> texts) {
        Optional<EmbeddingEndpoint> endpoint = endpoint();
        if (endpoint.isPresent()) {
            List<float[]> out = new ArrayList<>(texts.size());
            for (int from = 0; from < texts.size(); from += REMOTE_BATCH) {
                out.addAll(remote(endpoint.get(), texts.subList(from, Math.min(texts.size(), from + REMOTE_BATCH))));
            }
            return out;
        }
        return SharedModel.INSTANCE.embedAll(texts.stream().map(t -> TextSegment.from(t.strip())).toList()).content().stream()
                .map(e -> normalized(e.vector())).toList();
    }

    private Optional<EmbeddingEndpoint> endpoint() {
        return TenantScope.currentOrganization().isPresent() ? settings.endpoint() : Optional.empty();
    }

    /** One call to {@code POST {base}/embeddings} in OpenAI's wire format; vectors come back in input order. */
    private List<float[]> remote(EmbeddingEndpoint endpoint, List<String> texts) {
        var body = json.createObjectNode().put("model", endpoint.model());
        var input = body.putArray("input");
        texts.forEach(t -> input.add(t.strip()));
        OutboundResponse response;
        try {
            response = outbound.send(HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/embeddings"))
                    .header("Authorization", "Bearer " + endpoint.apiKey()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), REMOTE_TIMEOUT);
        } catch (OutboundFailure e) {
            throw new EmbeddingUnavailable("the embeddings endpoint could not be reached: " + e.getMessage());
        }
        if (!response.successful()) {
            throw new EmbeddingUnavailable("the embeddings endpoint answered HTTP " + response.status()
                    + "; check its address, model and key");
        }
        float[][] vectors = new float[texts.size()][];
        try {
            for (JsonNode item : json.readTree(response.text()).path("data")) {
                int index = item.path("index").asInt(-1);
                JsonNode values = item.path("embedding");
                if (index < 0 || index >= vectors.length || !values.isArray() || values.isEmpty()) {
                    continue;
                }
                float[] vector = new float[values.size()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = (float) values.get(i).asDouble();
                }
                vectors[index] = normalized(vector);
            }
        } catch (RuntimeException e) {
            throw new EmbeddingUnavailable("the embeddings endpoint's answer is not OpenAI's embeddings format");
        }
        for (float[] vector : vectors) {
            if (vector == null) {
                throw new EmbeddingUnavailable("the embeddings endpoint returned fewer vectors than texts");
            }
        }
        return List.of(vectors);
    }

    static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.NaN; // vectors of different models are never compared
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static float[] normalized(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        if (norm == 0) {
            return vector;
        }
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] / norm);
        }
        return out;
    }

    /** Class initialization is lazy and runs once, under the JVM's lock: the model loads on first use only. */
    private static final class SharedModel {
        static final EmbeddingModel INSTANCE = new AllMiniLmL6V2EmbeddingModel();
    }
}
