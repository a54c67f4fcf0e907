package dev.keiryo.engine.api.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One measurement, as a row of metrics.csv and a line of metrics.jsonl.
 *
 * @param timeMs wall-clock time, milliseconds since the Unix epoch
 * @param phase e.g. "train", "validation", "test"
 * @param name e.g. "loss", "accuracy", "examples_per_second"
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"time_ms", "epoch", "iteration", "phase", "name", "value"})
public record MetricRow(
        @JsonProperty("time_ms") long timeMs, int epoch, long iteration, String phase, String name, double value) {}
