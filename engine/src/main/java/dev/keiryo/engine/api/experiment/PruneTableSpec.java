package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The seed's table: accuracy against the share of units (or connections) kept, without and with
 * fine-tuning, one-shot from the same parent at each level. Writes CSV + PNG and one variant per
 * point.
 *
 * @param levels shares to REMOVE, each in [0, 1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PruneTableSpec(
        PruneMode mode,
        List<Double> levels,
        String criterion,
        String scope,
        int fineTuneEpochs,
        Double fineTuneLearningRate) {

    @JsonCreator
    static PruneTableSpec of(
            @JsonProperty("mode") PruneMode mode,
            @JsonProperty("levels") List<Double> levels,
            @JsonProperty("criterion") String criterion,
            @JsonProperty("scope") String scope,
            @JsonProperty("fineTuneEpochs") Integer fineTuneEpochs,
            @JsonProperty("fineTuneLearningRate") Double fineTuneLearningRate) {
        return new PruneTableSpec(
                mode,
                levels == null ? List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9) : levels,
                criterion == null ? PruningSettings.CRITERION.defaultValue() : criterion,
                scope == null ? PruningSettings.SCOPE.defaultValue() : scope,
                fineTuneEpochs == null ? PruningSettings.TABLE_FINE_TUNE_EPOCHS.defaultValue() : fineTuneEpochs,
                fineTuneLearningRate);
    }
}
