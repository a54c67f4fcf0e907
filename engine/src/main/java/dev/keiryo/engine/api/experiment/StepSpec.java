package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of an experiment after training: exactly one of its fields is set, named for the kind
 * of step ({@code prune:}, {@code pruneTable:}, {@code sensitivity:}, {@code quantize:},
 * {@code quantSweep:}, {@code parallelCompare:}, {@code distill:}, {@code fineTune:}), so the file reads as a list
 * of actions and later kinds (quantize, distill) are new fields, not a new schema.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepSpec(
        PruneStepSpec prune,
        PruneTableSpec pruneTable,
        SensitivitySpec sensitivity,
        QuantizeStepSpec quantize,
        QuantSweepSpec quantSweep,
        ParallelCompareSpec parallelCompare,
        DistillStepSpec distill,
        FineTuneStepSpec fineTune) {

    public static StepSpec of(PruneStepSpec p) {
        return new StepSpec(p, null, null, null, null, null, null, null);
    }

    public static StepSpec of(PruneTableSpec p) {
        return new StepSpec(null, p, null, null, null, null, null, null);
    }

    public static StepSpec of(SensitivitySpec s) {
        return new StepSpec(null, null, s, null, null, null, null, null);
    }

    public static StepSpec of(QuantizeStepSpec q) {
        return new StepSpec(null, null, null, q, null, null, null, null);
    }

    public static StepSpec of(QuantSweepSpec q) {
        return new StepSpec(null, null, null, null, q, null, null, null);
    }

    public static StepSpec of(ParallelCompareSpec c) {
        return new StepSpec(null, null, null, null, null, c, null, null);
    }

    public static StepSpec of(DistillStepSpec d) {
        return new StepSpec(null, null, null, null, null, null, d, null);
    }

    public static StepSpec of(FineTuneStepSpec f) {
        return new StepSpec(null, null, null, null, null, null, null, f);
    }

    int kinds() {
        return (prune == null ? 0 : 1)
                + (pruneTable == null ? 0 : 1)
                + (sensitivity == null ? 0 : 1)
                + (quantize == null ? 0 : 1)
                + (quantSweep == null ? 0 : 1)
                + (parallelCompare == null ? 0 : 1)
                + (distill == null ? 0 : 1)
                + (fineTune == null ? 0 : 1);
    }
}
