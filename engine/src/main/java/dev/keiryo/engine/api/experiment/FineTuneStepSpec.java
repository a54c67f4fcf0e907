package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Trains a copy of a variant for more epochs without compressing it: the control for a
 * compression step's fine-tuning. A pruned variant fine-tuned for 12 epochs is compared fairly
 * with its parent trained for the same 12 epochs, not with a parent that stopped early.
 *
 * @param epochs epochs of training, with the same schedule and data order as a prune step's
 *     fine-tuning
 * @param learningRate defaults to train.learningRate
 * @param from the id of the variant to train on (default: the latest one)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FineTuneStepSpec(int epochs, Double learningRate, String from) {

    @JsonCreator
    static FineTuneStepSpec of(
            @JsonProperty("epochs") Integer epochs,
            @JsonProperty("learningRate") Double learningRate,
            @JsonProperty("from") String from) {
        return new FineTuneStepSpec(
                epochs == null ? FineTuneSettings.EPOCHS.defaultValue() : epochs, learningRate, from);
    }

    /** {@code epochs} more epochs of the variant {@code from} (null: the latest), at the training rate. */
    public static FineTuneStepSpec of(int epochs, String from) {
        return new FineTuneStepSpec(epochs, null, from);
    }
}
