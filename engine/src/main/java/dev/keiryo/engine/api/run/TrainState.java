package dev.keiryo.engine.api.run;

import java.util.ArrayList;
import java.util.List;

/**
 * Where training stands after an epoch; saved with each checkpoint so {@code --resume} continues
 * with the same shuffling, the same early-stopping counters and the full history.
 */
public record TrainState(
        int epochsCompleted,
        long iterations,
        double bestValidationAccuracy,
        int bestEpoch,
        int epochsWithoutImprovement,
        List<EpochRecord> history) {

    public static TrainState initial() {
        return new TrainState(0, 0, Double.NEGATIVE_INFINITY, 0, 0, List.of());
    }

    public TrainState after(EpochRecord r, long iterations, boolean improved) {
        List<EpochRecord> h = new ArrayList<>(history);
        h.add(r);
        return new TrainState(
                r.epoch(),
                iterations,
                improved ? r.validationAccuracy() : bestValidationAccuracy,
                improved ? r.epoch() : bestEpoch,
                improved ? 0 : epochsWithoutImprovement + 1,
                List.copyOf(h));
    }
}
