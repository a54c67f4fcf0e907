package dev.keiryo.engine.job;

import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.experiment.AtomicFiles;
import dev.keiryo.engine.api.experiment.PruneMode;
import dev.keiryo.engine.api.experiment.PruneTableSpec;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.compress.prune.connection.ConnectionPruning;
import dev.keiryo.engine.compress.prune.connection.Masks;
import dev.keiryo.engine.compress.prune.unit.UnitPruning;
import dev.keiryo.engine.compress.prune.unit.UnitRanking;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.report.LineChart;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The seed's table: for each share removed, prune the same parent one-shot, measure, fine-tune a
 * copy, measure again. Writes {@code prune-table-<mode>.csv} and {@code .png}; every point is a variant.
 */
final class PruneTableStep {
    private PruneTableStep() {}

    static void run(StepContext ctx, PruneTableSpec s) {
        Variant parent = ctx.latest();
        KeiryoModel model = ctx.model(parent);
        String mode = s.mode().id();
        StringBuilder csv = new StringBuilder(
                "removed_share,units_or_weights_kept,parameters,non_zeros,params_kept_share,"
                        + "accuracy,accuracy_fine_tuned,fine_tune_epochs,file_bytes,file_bytes_fine_tuned,variant,variant_fine_tuned\n");
        LineChart chart = new LineChart(
                "Accuracy vs "
                        + (s.mode() == PruneMode.UNIT
                                ? "parameters kept (unit pruning)"
                                : "weights kept (connection pruning)"),
                "share of parameters kept (non-zero)",
                "test accuracy");
        chart.baseline(
                String.format(Locale.ROOT, "unpruned %.4f", parent.metrics().accuracy()),
                parent.metrics().accuracy());
        double base = parent.metrics().nonZeros();
        // Unit pruning ranks the units once (one pass over the scoring data); each level removes a longer prefix.
        ComputationGraph unitSource = null;
        UnitRanking ranking = null;
        if (s.mode() == PruneMode.UNIT) {
            unitSource = Masks.present(model.net()) ? Masks.strip(model.net().clone()) : model.net();
            ranking = UnitRanking.of(
                    unitSource,
                    PruneSettings.unit(0.0, Map.of(), s.criterion()).criterion(),
                    PruneSteps.scoringData(ctx),
                    UnitPruning.DEFAULT_SCORING_BATCHES);
        }
        for (double level : s.levels()) {
            if (ctx.cancel.isCancelled()) {
                break;
            }
            ComputationGraph pruned = ranking != null
                    ? UnitPruning.shrink(unitSource, ranking.plan(PruneSettings.unit(level, Map.of(), s.criterion())))
                    : prune(model.net(), s, level);
            if (ranking != null) {
                PruneSteps.recalibrate(ctx, pruned);
            }
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("mode", mode);
            params.put("removed", level);
            params.put("table", true);
            Variant oneShot = ctx.add(new KeiryoModel(pruned, model.meta()), parent, "prune-" + mode, params);
            Variant tuned = null;
            if (s.fineTuneEpochs() > 0) {
                ComputationGraph copy = pruned.clone();
                PruneSteps.fineTune(ctx, copy, s.fineTuneEpochs(), s.fineTuneLearningRate(), "level " + level);
                tuned = ctx.add(
                        new KeiryoModel(copy, model.meta()),
                        oneShot,
                        "fine-tune",
                        Map.of("epochs", s.fineTuneEpochs()));
            }
            double kept = oneShot.metrics().nonZeros() / base;
            chart.point("one-shot, no fine-tuning", kept, oneShot.metrics().accuracy());
            if (tuned != null) {
                chart.point(
                        "fine-tuned " + s.fineTuneEpochs() + " epoch(s)",
                        kept,
                        tuned.metrics().accuracy());
            }
            csv.append(String.format(
                    Locale.ROOT,
                    "%.4f,%.4f,%d,%d,%.4f,%.4f,%s,%d,%d,%s,%s,%s%n",
                    level,
                    1 - level,
                    oneShot.metrics().parameters(),
                    oneShot.metrics().nonZeros(),
                    kept,
                    oneShot.metrics().accuracy(),
                    tuned == null
                            ? ""
                            : String.format(Locale.ROOT, "%.4f", tuned.metrics().accuracy()),
                    s.fineTuneEpochs(),
                    oneShot.metrics().fileBytes(),
                    tuned == null ? "" : Long.toString(tuned.metrics().fileBytes()),
                    oneShot.id(),
                    tuned == null ? "" : tuned.id()));
            ctx.run.writeText("prune-table-" + mode + ".csv", csv.toString());
            ctx.listener.onEvent(new TrainingEvent.Message(
                    0,
                    String.format(
                            Locale.ROOT,
                            "table: removed %.2f -> %.1f%% of parameters kept, accuracy %.4f%s",
                            level,
                            100 * kept,
                            oneShot.metrics().accuracy(),
                            tuned == null
                                    ? ""
                                    : String.format(
                                            Locale.ROOT,
                                            ", fine-tuned %.4f",
                                            tuned.metrics().accuracy()))));
        }
        try {
            chart.writePng(ctx.run.file("prune-table-" + mode + ".png"), 900, 600);
        } catch (IOException e) {
            throw AtomicFiles.failure(ctx.run.file("prune-table-" + mode + ".png"), e);
        }
    }

    private static ComputationGraph prune(ComputationGraph net, PruneTableSpec s, double level) {
        ConnectionPruneSpec spec =
                "layer".equals(s.scope()) ? ConnectionPruneSpec.perLayer(level) : ConnectionPruneSpec.global(level);
        return ConnectionPruning.apply(net, ConnectionPruning.plan(net, spec));
    }
}
