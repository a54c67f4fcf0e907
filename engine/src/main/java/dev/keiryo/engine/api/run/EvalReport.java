package dev.keiryo.engine.api.run;

import java.nio.file.Path;
import java.util.List;

/**
 * A saved model evaluated on a test set ({@code keiryo eval}).
 *
 * @param data the test set's name
 * @param classNames the class names, in class order, for {@code result}'s per-class accuracy
 * @param latency per batch size; empty when not measured
 */
public record EvalReport(
        Path model, String data, List<String> classNames, EvalResult result, List<LatencyStats> latency) {
    public EvalReport {
        classNames = List.copyOf(classNames);
        latency = List.copyOf(latency);
    }
}
