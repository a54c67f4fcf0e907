package dev.keiryo.engine.job;

import dev.keiryo.engine.experiment.StepSpec;
import java.util.List;

/** Runs an experiment's steps in order; each starts from the latest variant unless it names one. */
final class Steps {
    private Steps() {
    }

    static void run(StepContext ctx, List<StepSpec> steps) {
        for (StepSpec s : steps) {
            if (ctx.cancel.isCancelled()) {
                return;
            }
            if (s.prune() != null) {
                PruneSteps.prune(ctx, s.prune());
            } else if (s.pruneTable() != null) {
                PruneTableStep.run(ctx, s.pruneTable());
            } else if (s.sensitivity() != null) {
                SensitivityStep.run(ctx, s.sensitivity());
            }
        }
    }
}
