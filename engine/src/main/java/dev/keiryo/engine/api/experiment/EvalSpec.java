package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What to measure after training.
 *
 * @param latency also measure inference latency (slower; turn off for quick runs)
 */
public record EvalSpec(boolean latency) {

    public static EvalSpec defaults() {
        return of(null);
    }

    @JsonCreator
    static EvalSpec of(@JsonProperty("latency") Boolean latency) {
        return new EvalSpec(latency == null ? RunSettings.LATENCY.defaultValue() : latency);
    }

    public EvalSpec withLatency(boolean v) {
        return new EvalSpec(v);
    }
}
