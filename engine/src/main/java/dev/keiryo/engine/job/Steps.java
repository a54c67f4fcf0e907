package dev.keiryo.engine.job;

import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.api.experiment.PruneMode;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.compress.prune.connection.ConnectionPruning;
import dev.keiryo.engine.compress.quant.Qat;
import dev.keiryo.engine.compress.quant.Quantizer;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.train.TrainSettings;
import java.util.List;
import java.util.function.IntConsumer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Runs an experiment's steps in order; each starts from the latest variant unless it names one. */
final class Steps {
    private Steps() {}

    /**
     * Checks every prune step against the starting model before the run folder exists, so that an
     * unknown layer or pruning a whole layer away is bad input, not a failed run.
     */
    static void check(KeiryoModel start, JobData data, TrainSettings settings, List<StepSpec> steps) {
        check(start.net(), steps);
        boolean afterStudents = false;
        for (StepSpec s : steps) {
            if (s.distill() != null) {
                DistillStep.check(start, data, settings, s.distill(), afterStudents);
                afterStudents = true;
            }
        }
    }

    static void check(ComputationGraph net, List<StepSpec> steps) {
        for (StepSpec s : steps) {
            if (s.quantize() != null) {
                QuantSpec q = QuantizeStep.spec(s.quantize());
                Quantizer.check(net, q);
                if (s.quantize().qatEpochs() > 0) {
                    Qat.check(q);
                }
            } else if (s.quantSweep() != null) {
                for (String g : s.quantSweep().granularity()) {
                    Quantizer.check(
                            net, QuantizeStep.spec(QuantSweepStep.point(2, "perChannel".equals(g), 0, null, null)));
                }
            } else if (s.prune() != null && s.prune().mode() == PruneMode.UNIT) {
                PruneSettings.unit(s.prune()).resolve(net);
            } else if (s.prune() != null) {
                ConnectionPruning.plan(net, PruneSettings.connection(s.prune()));
            }
        }
    }

    static void run(StepContext ctx, List<StepSpec> steps) {
        run(ctx, steps, 0, n -> {});
    }

    /**
     * Runs {@code steps} from index {@code from} on; after each one that finished without being
     * cancelled, tells {@code finished} how many of the list are now done. A step cancelled midway
     * does not count, so a resume redoes it.
     */
    static void run(StepContext ctx, List<StepSpec> steps, int from, IntConsumer finished) {
        for (int i = from; i < steps.size(); i++) {
            if (ctx.cancel.isCancelled()) {
                return;
            }
            run(ctx, steps.get(i));
            if (!ctx.cancel.isCancelled()) {
                finished.accept(i + 1);
            }
        }
    }

    private static void run(StepContext ctx, StepSpec s) {
        if (s.prune() != null) {
            PruneSteps.prune(ctx, s.prune());
        } else if (s.quantize() != null) {
            QuantizeStep.run(ctx, s.quantize());
        } else if (s.parallelCompare() != null) {
            ParallelCompareStep.run(ctx, s.parallelCompare());
        } else if (s.pruneTable() != null) {
            PruneTableStep.run(ctx, s.pruneTable());
        } else if (s.sensitivity() != null) {
            SensitivityStep.run(ctx, s.sensitivity());
        } else if (s.quantSweep() != null) {
            QuantSweepStep.run(ctx, s.quantSweep());
        } else if (s.distill() != null) {
            DistillStep.run(ctx, s.distill());
        } else if (s.fineTune() != null) {
            FineTuneStep.run(ctx, s.fineTune());
        }
    }
}
