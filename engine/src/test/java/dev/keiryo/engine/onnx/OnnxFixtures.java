package dev.keiryo.engine.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The ONNX models and PyTorch's outputs that {@code onnx/make_fixtures.py} wrote into the test resources. */
final class OnnxFixtures {
    private OnnxFixtures() {}

    static Path model(String name) {
        try {
            return Path.of(
                    OnnxFixtures.class.getResource("/onnx/" + name + ".onnx").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PyTorch's inputs, logits and outputs for the model {@code name}. */
    record Expected(long[] inputShape, float[] inputs, float[] logits, float[] outputs, boolean probabilities) {}

    static Expected expected(String name) throws IOException {
        JsonNode j = new ObjectMapper().readTree(OnnxFixtures.class.getResource("/onnx/" + name + ".json"));
        long[] shape = new long[j.get("inputShape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = j.get("inputShape").get(i).asLong();
        }
        return new Expected(
                shape,
                floats(j.get("inputs")),
                floats(j.get("logits")),
                floats(j.get("outputs")),
                j.get("outputIsProbabilities").asBoolean());
    }

    private static float[] floats(JsonNode a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) a.get(i).asDouble();
        }
        return v;
    }
}
