package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The seed's comparison: the experiment's model trained from the same initial weights on one
 * device, synchronously and asynchronously, evaluated on the test set after every epoch. Writes
 * accuracy against wall time and against samples seen (CSV + PNG) and one variant per mode.
 *
 * @param modes which of single, sync, async to train, in order
 * @param epochs epochs per mode; null = train.epochs
 * @param workers workers of the sync and async runs
 * @param averagingFrequency sync: average every this many iterations
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParallelCompareSpec(List<String> modes, Integer epochs, int workers, int averagingFrequency) {

    public static ParallelCompareSpec defaults() {
        return of(null, null, null, null);
    }

    @JsonCreator
    static ParallelCompareSpec of(
            @JsonProperty("modes") List<String> modes,
            @JsonProperty("epochs") Integer epochs,
            @JsonProperty("workers") Integer workers,
            @JsonProperty("averagingFrequency") Integer averagingFrequency) {
        return new ParallelCompareSpec(
                modes == null ? List.of("single", "sync", "async") : List.copyOf(modes),
                epochs,
                workers == null ? ComparisonSettings.WORKERS.defaultValue() : workers,
                averagingFrequency == null
                        ? ComparisonSettings.AVERAGING_FREQUENCY.defaultValue()
                        : averagingFrequency);
    }
}
