package io.switchboard.knowledge;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The in-process embedding model (all-MiniLM-L6-v2, ONNX, 384 dimensions). Its name is stored with every vector so
 * that vectors of different models are never compared. Vectors are L2-normalized here, so a dot product is the
 * cosine. The ~90 MB model loads on first use, once per JVM.
 */
@Component
class TextEmbeddings {

    static final String MODEL = "all-minilm-l6-v2";
    static final int DIMENSIONS = 384;

    String model() {
        return MODEL;
    }

    float[] embed(String text) {
        return normalized(SharedModel.INSTANCE.embed(text.strip()).content().vector());
    }

    List<float[]> embedAll(List<String> texts) {
        return SharedModel.INSTANCE.embedAll(texts.stream().map(t -> TextSegment.from(t.strip())).toList()).content().stream()
                .map(e -> normalized(e.vector())).toList();
    }

    static double dot(float[] a, float[] b) {
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
