package dev.keiryo.engine.job;

import dev.keiryo.engine.api.experiment.FineTuneStepSpec;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.model.KeiryoModel;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The fineTune step: a copy of a variant trained further, unchanged otherwise. It goes through the
 * same fine-tuning as the prune step, so a pruned variant and its control differ only in the pruning.
 */
final class FineTuneStep {
    private FineTuneStep() {}

    static Variant run(StepContext ctx, FineTuneStepSpec s) {
        Variant parent = ctx.variant(s.from());
        KeiryoModel model = ctx.model(parent);
        ComputationGraph net = model.net().clone();
        PruneSteps.fineTune(ctx, net, s.epochs(), s.learningRate(), parent.id() + " unchanged");
        if (ctx.cancel.isCancelled()) {
            return parent;
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("epochs", s.epochs());
        params.put("learningRate", s.learningRate() != null ? s.learningRate() : ctx.settings.learningRate());
        Variant v = ctx.add(new KeiryoModel(net, model.meta()), parent, "fine-tune", params);
        ctx.listener.onEvent(new TrainingEvent.Message(
                0,
                String.format(
                        Locale.ROOT,
                        "%s: %s trained %d more epoch(s) -> accuracy %.4f (was %.4f)",
                        v.id(),
                        parent.id(),
                        s.epochs(),
                        v.metrics().accuracy(),
                        parent.metrics().accuracy())));
        return v;
    }
}
