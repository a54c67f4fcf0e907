package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A pruning step: makes a new variant from the previous one (or from {@code from}).
 *
 * @param mode connection (single weights) or unit (whole neurons/filters, the network shrinks)
 * @param scope connection: {@code global} (one threshold for all layers) or {@code scope: layer} (each
 *     layer to the same sparsity)
 * @param sparsity connection: the share of weights to remove, in [0, 1)
 * @param threshold connection: remove weights with |w| below it (instead of a sparsity)
 * @param fraction unit: the share of units to remove from every prunable hidden layer, in [0, 1)
 * @param layers per-layer sparsity (connection) or fraction (unit), overriding the one above
 * @param exclude connection: layers left alone
 * @param criterion unit: l1, l2, mean-activation or apoz
 * @param schedule connection: {@code oneshot}, or {@code agp} (Zhu and Gupta's cubic schedule, in
 *     {@code scheduleSteps} steps with {@code fineTuneEpochs} of fine-tuning after each)
 * @param fineTuneEpochs epochs of fine-tuning after pruning (0 = none)
 * @param fineTuneLearningRate defaults to train.learningRate
 * @param from the id of the variant to prune (default: the latest one)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PruneStepSpec(
        PruneMode mode,
        String scope,
        Double sparsity,
        Double threshold,
        Double fraction,
        Map<String, Double> layers,
        List<String> exclude,
        String criterion,
        String schedule,
        int scheduleSteps,
        int fineTuneEpochs,
        Double fineTuneLearningRate,
        String from) {

    /** Global one-shot connection pruning of the latest variant to {@code sparsity}; the rest as declared. */
    public static PruneStepSpec connection(double sparsity, int fineTuneEpochs) {
        return of(
                PruneMode.CONNECTION,
                null,
                sparsity,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                fineTuneEpochs,
                null,
                null);
    }

    @JsonCreator
    static PruneStepSpec of(
            @JsonProperty("mode") PruneMode mode,
            @JsonProperty("scope") String scope,
            @JsonProperty("sparsity") Double sparsity,
            @JsonProperty("threshold") Double threshold,
            @JsonProperty("fraction") Double fraction,
            @JsonProperty("layers") Map<String, Double> layers,
            @JsonProperty("exclude") List<String> exclude,
            @JsonProperty("criterion") String criterion,
            @JsonProperty("schedule") String schedule,
            @JsonProperty("scheduleSteps") Integer scheduleSteps,
            @JsonProperty("fineTuneEpochs") Integer fineTuneEpochs,
            @JsonProperty("fineTuneLearningRate") Double fineTuneLearningRate,
            @JsonProperty("from") String from) {
        return new PruneStepSpec(
                mode,
                scope == null ? PruningSettings.SCOPE.defaultValue() : scope,
                sparsity,
                threshold,
                fraction,
                layers == null ? Map.of() : layers,
                exclude == null ? List.of() : exclude,
                criterion == null ? PruningSettings.CRITERION.defaultValue() : criterion,
                schedule == null ? PruningSettings.SCHEDULE.defaultValue() : schedule,
                scheduleSteps == null ? PruningSettings.SCHEDULE_STEPS.defaultValue() : scheduleSteps,
                fineTuneEpochs == null ? PruningSettings.FINE_TUNE_EPOCHS.defaultValue() : fineTuneEpochs,
                fineTuneLearningRate,
                from);
    }
}
