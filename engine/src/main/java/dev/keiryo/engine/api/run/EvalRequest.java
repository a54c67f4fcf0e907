package dev.keiryo.engine.api.run;

import java.nio.file.Path;

/**
 * Which test set to evaluate a saved model on.
 *
 * @param source "sample", "fashion-mnist", "mnist", "idx" or "csv", as in {@code data.source}
 * @param data the data folder, or for "csv" the test file, all of whose rows are the test set; null
 *     for the default place of the source
 * @param labelColumn for CSV: the label column's name or index; null for the last column
 * @param latency also measure the inference latency
 * @param logits where to write the model's logits for every test example as CSV; null for none
 */
public record EvalRequest(String source, Path data, String labelColumn, boolean latency, Path logits) {
    public EvalRequest(String source, Path data, String labelColumn, boolean latency) {
        this(source, data, labelColumn, latency, null);
    }
}
