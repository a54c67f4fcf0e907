package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Per-layer sensitivity: validation accuracy when only one layer is pruned, at each level, for
 * dense and convolutional layers alike. Writes CSV + PNG; makes no variants.
 *
 * @param layers layers to analyse (default: every prunable layer)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SensitivitySpec(PruneMode mode, List<Double> levels, List<String> layers, String criterion) {

    @JsonCreator
    static SensitivitySpec of(
            @JsonProperty("mode") PruneMode mode,
            @JsonProperty("levels") List<Double> levels,
            @JsonProperty("layers") List<String> layers,
            @JsonProperty("criterion") String criterion) {
        return new SensitivitySpec(
                mode,
                levels == null ? List.of(0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95) : levels,
                layers == null ? List.of() : layers,
                criterion == null ? PruningSettings.CRITERION.defaultValue() : criterion);
    }
}
