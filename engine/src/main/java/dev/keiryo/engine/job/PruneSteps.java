package dev.keiryo.engine.job;

import dev.keiryo.engine.api.experiment.PruneMode;
import dev.keiryo.engine.api.experiment.PruneStepSpec;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.compress.prune.connection.ConnectionPlan;
import dev.keiryo.engine.compress.prune.connection.ConnectionPruning;
import dev.keiryo.engine.compress.prune.connection.IterativeConnectionPruning;
import dev.keiryo.engine.compress.prune.connection.Masks;
import dev.keiryo.engine.compress.prune.unit.UnitPlan;
import dev.keiryo.engine.compress.prune.unit.UnitPruning;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.BatchNormRecalibration;
import dev.keiryo.engine.model.KeiryoModel;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** The prune step: one new variant from its parent, one-shot or on the AGP schedule, then fine-tuned. */
final class PruneSteps {
    private PruneSteps() {}

    static Variant prune(StepContext ctx, PruneStepSpec s) {
        Variant parent = ctx.variant(s.from());
        KeiryoModel model = ctx.model(parent);
        ComputationGraph pruned =
                s.mode() == PruneMode.UNIT ? unit(ctx, model.net(), s) : connection(ctx, model.net(), s);
        KeiryoModel result = new KeiryoModel(pruned, model.meta());
        Variant v = ctx.add(result, parent, "prune-" + s.mode().id(), PruneSettings.params(s));
        ctx.listener.onEvent(new TrainingEvent.Message(
                0,
                String.format(
                        Locale.ROOT,
                        "%s: %s pruning of %s -> accuracy %.4f (was %.4f), %,d parameters (%,d non-zero), %,d bytes (%s)",
                        v.id(),
                        s.mode().id(),
                        parent.id(),
                        v.metrics().accuracy(),
                        parent.metrics().accuracy(),
                        v.metrics().parameters(),
                        v.metrics().nonZeros(),
                        v.metrics().fileBytes(),
                        v.metrics().fileEncoding())));
        return v;
    }

    private static ComputationGraph connection(StepContext ctx, ComputationGraph net, PruneStepSpec s) {
        if ("agp".equals(s.schedule())) {
            IterativeConnectionPruning agp =
                    IterativeConnectionPruning.agp(PruneSettings.connection(s), s.scheduleSteps());
            return agp.run(
                    net,
                    (n, step) -> fineTune(
                            ctx,
                            n,
                            s.fineTuneEpochs(),
                            s.fineTuneLearningRate(),
                            "AGP step " + step + "/" + s.scheduleSteps()),
                    st -> ctx.listener.onEvent(new TrainingEvent.Message(
                            0,
                            String.format(
                                    Locale.ROOT,
                                    "AGP step %d/%d: sparsity %.3f",
                                    st.step(),
                                    st.steps(),
                                    st.sparsity()))),
                    ctx.cancel);
        }
        ConnectionPlan plan = ConnectionPruning.plan(net, PruneSettings.connection(s));
        ComputationGraph pruned = ConnectionPruning.apply(net, plan);
        fineTune(ctx, pruned, s.fineTuneEpochs(), s.fineTuneLearningRate(), "the pruned network");
        return pruned;
    }

    private static ComputationGraph unit(StepContext ctx, ComputationGraph net, PruneStepSpec s) {
        ComputationGraph source = Masks.present(net) ? Masks.strip(net.clone()) : net;
        UnitPlan plan = UnitPruning.plan(source, PruneSettings.unit(s), scoringData(ctx));
        ComputationGraph small = UnitPruning.shrink(source, plan);
        recalibrate(ctx, small);
        fineTune(ctx, small, s.fineTuneEpochs(), s.fineTuneLearningRate(), "the shrunk network");
        return small;
    }

    /** Batch norm statistics of a shrunk network, measured again on shuffled training batches. */
    static void recalibrate(StepContext ctx, ComputationGraph small) {
        if (BatchNormRecalibration.applies(small)) {
            int n = BatchNormRecalibration.recalibrate(
                    small,
                    ctx.data.iterator(ctx.data.train(), 128, true, ctx.settings.seed(), 0),
                    BatchNormRecalibration.DEFAULT_BATCHES);
            ctx.listener.onEvent(new TrainingEvent.Message(
                    0, "batch norm statistics of the shrunk network measured again on " + n + " training batches"));
        }
    }

    static void fineTune(StepContext ctx, ComputationGraph net, int epochs, Double lr, String what) {
        if (epochs <= 0) {
            return;
        }
        TrainResult r = FineTuning.run(ctx, net, epochs, lr, what);
        if (r.outcome() == TrainOutcome.DIVERGED) {
            throw new dev.keiryo.engine.api.KeiryoException("fine-tuning " + what + " diverged: " + r.message());
        }
    }

    /** Data for the activation criteria: the validation split, which training never saw. */
    static DataSetIterator scoringData(StepContext ctx) {
        Dataset d = ctx.data.validation() != null ? ctx.data.validation() : ctx.data.train();
        return ctx.data.iterator(d, 128, false, 0, 0);
    }
}
