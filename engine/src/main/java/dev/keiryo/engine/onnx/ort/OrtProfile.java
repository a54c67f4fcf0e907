package dev.keiryo.engine.onnx.ort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.api.KeiryoException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a session's time went, by operator type, from the Chrome trace ONNX Runtime writes when
 * profiling: the kernel time of every node summed per operator type, and the wall time of whole
 * runs, both averaged over the runs after the first (the first allocates its buffers).
 *
 * @param runs runs averaged
 * @param runMillis mean wall time of one run
 * @param operatorMillis mean kernel time per run of each operator type, largest first
 */
public record OrtProfile(int runs, double runMillis, Map<String, Double> operatorMillis) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KERNEL = "_kernel_time";

    /** Reads a trace from {@link OrtModel#endProfiling()}; it must hold at least two runs. */
    public static OrtProfile read(Path trace) {
        JsonNode events;
        try {
            events = JSON.readTree(trace.toFile());
        } catch (IOException e) {
            throw new KeiryoException(
                    "cannot read the ONNX Runtime profile " + trace + " (" + e.getMessage() + ").", e);
        }
        List<JsonNode> runs = new ArrayList<>();
        for (JsonNode e : events) {
            if ("Session".equals(e.path("cat").asText())
                    && "model_run".equals(e.path("name").asText())) {
                runs.add(e);
            }
        }
        if (runs.size() < 2) {
            throw new KeiryoException("the ONNX Runtime profile " + trace + " holds " + runs.size()
                    + " runs; profile at least two (the first is a warm-up).");
        }
        runs.sort(Comparator.comparingLong(e -> e.path("ts").asLong()));
        long from = runs.get(1).path("ts").asLong();
        int n = runs.size() - 1;
        double wall = 0;
        for (JsonNode r : runs.subList(1, runs.size())) {
            wall += r.path("dur").asDouble();
        }
        Map<String, Double> sums = new LinkedHashMap<>();
        for (JsonNode e : events) {
            if ("Node".equals(e.path("cat").asText())
                    && e.path("name").asText().endsWith(KERNEL)
                    && e.path("ts").asLong() >= from) {
                sums.merge(
                        e.path("args").path("op_name").asText("?"),
                        e.path("dur").asDouble() / 1e3 / n,
                        Double::sum);
            }
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        sums.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new OrtProfile(n, wall / 1e3 / n, sorted);
    }

    /**
     * What an operator type spends its time on: "arithmetic" (convolutions, products, sums,
     * activations, pooling), "quantize" (float to 8 bits and back) or "layout" (reordering,
     * transposing or reshaping activations without computing on them).
     */
    public static String kind(String operator) {
        return switch (operator) {
            case "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear" -> "quantize";
            case "Transpose",
                    "ReorderInput",
                    "ReorderOutput",
                    "Reshape",
                    "Flatten",
                    "Squeeze",
                    "Unsqueeze",
                    "Identity",
                    "Cast",
                    "Concat" -> "layout";
            default -> "arithmetic";
        };
    }
}
