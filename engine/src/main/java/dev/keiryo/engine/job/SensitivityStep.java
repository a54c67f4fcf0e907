package dev.keiryo.engine.job;

import dev.keiryo.engine.api.experiment.AtomicFiles;
import dev.keiryo.engine.api.experiment.PruneMode;
import dev.keiryo.engine.api.experiment.SensitivitySpec;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.compress.prune.Sensitivity;
import dev.keiryo.engine.compress.prune.connection.Masks;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.preview.PreviewSubset;
import dev.keiryo.engine.report.LineChart;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Writes {@code sensitivity-<mode>.csv} and {@code .png} for the latest variant, on the data choices are read on (never the test set). */
final class SensitivityStep {
    static final int SUBSET = 2000;

    private SensitivityStep() {}

    static void run(StepContext ctx, SensitivitySpec s) {
        Variant parent = ctx.latest();
        KeiryoModel model = ctx.model(parent);
        Dataset held = ctx.choiceData("sensitivity is measured");
        PreviewSubset subset = new PreviewSubset(held, model.meta(), SUBSET);
        ComputationGraph net =
                Masks.present(model.net()) ? Masks.strip(model.net().clone()) : model.net();
        Map<String, List<Sensitivity.Point>> curves = s.mode() == PruneMode.UNIT
                ? Sensitivity.unit(
                        net,
                        s.layers(),
                        s.levels(),
                        PruneSettings.criterion(s.criterion()),
                        PruneSteps.scoringData(ctx),
                        subset,
                        ctx.cancel::isCancelled)
                : Sensitivity.connection(net, s.layers(), s.levels(), subset, ctx.cancel::isCancelled);
        double base = subset.accuracy(net, () -> false);
        String mode = s.mode().id();
        StringBuilder csv = new StringBuilder("layer,removed_share,accuracy,parameters,non_zeros\n");
        LineChart chart = new LineChart(
                "Sensitivity per layer (" + mode + " pruning, " + subset.size() + " " + ctx.data.choicesName()
                        + " examples)",
                mode.equals("unit") ? "share of the layer's units removed" : "share of the layer's weights removed",
                "accuracy");
        chart.baseline(String.format(Locale.ROOT, "unpruned %.4f", base), base);
        curves.forEach((layer, points) -> points.forEach(p -> {
            csv.append(String.format(
                    Locale.ROOT, "%s,%.4f,%.4f,%d,%d%n", layer, p.level(), p.accuracy(), p.parameters(), p.nonZeros()));
            chart.point(layer, p.level(), p.accuracy());
        }));
        ctx.run.writeText("sensitivity-" + mode + ".csv", csv.toString());
        try {
            chart.writePng(ctx.run.file("sensitivity-" + mode + ".png"), 900, 600);
        } catch (IOException e) {
            throw AtomicFiles.failure(ctx.run.file("sensitivity-" + mode + ".png"), e);
        }
        ctx.listener.onEvent(new TrainingEvent.Message(
                0,
                "sensitivity (" + mode + ") of " + curves.size() + " layers on " + subset.size() + " "
                        + ctx.data.choicesName() + " examples written to "
                        + ctx.run.file("sensitivity-" + mode + ".csv")));
    }
}
