package dev.keiryo.engine.job;

import dev.keiryo.engine.api.experiment.AtomicFiles;
import dev.keiryo.engine.api.experiment.ParallelCompareSpec;
import dev.keiryo.engine.api.run.EpochRecord;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.api.run.TrainState;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.eval.Evaluator;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.report.LineChart;
import dev.keiryo.engine.train.ParallelMode;
import dev.keiryo.engine.train.ParallelSettings;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.Trainer;
import dev.keiryo.engine.train.parallel.ParallelEpochs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the experiment's model from the same initial weights once per mode (single, sync, async)
 * with the test accuracy after every epoch, and writes {@code parallel-compare.csv}, two charts
 * (accuracy vs wall time, vs samples seen), {@code parallel-compare.md} and one variant per mode.
 */
final class ParallelCompareStep {
    static final String CSV = "parallel-compare.csv";

    private ParallelCompareStep() {}

    record Row(String mode, int epoch, long samplesSeen, double wallSeconds, double testAccuracy, double testLoss) {}

    static void run(StepContext ctx, ParallelCompareSpec s) {
        TrainSettings settings = ctx.settings.withEpochs(s.epochs() != null ? s.epochs() : ctx.settings.epochs());
        List<Row> rows = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        for (String m : s.modes()) {
            if (ctx.cancel.isCancelled()) {
                break;
            }
            ParallelMode mode = ParallelMode.parse(m);
            ParallelSettings p = switch (mode) {
                case SINGLE -> ParallelSettings.single();
                case SYNC -> ParallelSettings.sync(s.workers(), s.averagingFrequency());
                case ASYNC -> ParallelSettings.async(s.workers());
            };
            summary.add(trainOne(ctx, settings, p, rows));
        }
        write(ctx, rows, summary, s);
    }

    private static String trainOne(StepContext ctx, TrainSettings settings, ParallelSettings p, List<Row> rows) {
        KeiryoModel model = fresh(ctx, settings);
        long n = ctx.data.train().size();
        ArrayDataSetIterator train = ctx.data.trainingIterator(settings.batchSize(), ctx.experiment.seed(), 0);
        ArrayDataSetIterator test = ctx.data.iterator(ctx.data.test(), 512, false, ctx.experiment.seed(), 0);
        String mode = p.mode().id();
        Trainer trainer = p.parallel()
                ? new Trainer(
                        model.net(),
                        settings,
                        e -> relay(ctx, mode, e),
                        ctx.cancel,
                        new ParallelEpochs(model.net(), p, n))
                : new Trainer(model.net(), settings, e -> relay(ctx, mode, e), ctx.cancel);
        TrainResult r = trainer.fit(train, n, net -> Evaluator.evaluate(net, test), null, TrainState.initial());
        double wall = 0;
        for (EpochRecord e : r.state().history()) {
            wall += e.seconds();
            rows.add(new Row(mode, e.epoch(), e.epoch() * n, wall, e.validationAccuracy(), e.validationLoss()));
        }
        if (r.outcome() != TrainOutcome.COMPLETED || r.state().history().isEmpty()) {
            return String.format(
                    Locale.ROOT,
                    "| %s | %s after %d epochs | | | |",
                    mode,
                    r.outcome().name().toLowerCase(Locale.ROOT),
                    r.state().epochsCompleted());
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("mode", mode);
        params.put("workers", p.workers());
        params.put("epochs", r.state().epochsCompleted());
        if (p.mode() == ParallelMode.SYNC) {
            params.put("averagingFrequency", p.averagingFrequency());
        }
        params.put("trainSeconds", Math.round(wall * 10) / 10.0);
        Variant v = ctx.add(model, null, "parallelCompare", params);
        EpochRecord last = r.state().history().get(r.state().history().size() - 1);
        return String.format(
                Locale.ROOT,
                "| %s (%s) | %d | %.4f | %.1f | %,.0f |",
                mode,
                v.id(),
                p.workers(),
                last.validationAccuracy(),
                wall,
                r.state().epochsCompleted() * n / wall);
    }

    /** The same initial weights for every mode: the seeded preset, or the model file, loaded anew. */
    private static KeiryoModel fresh(StepContext ctx, TrainSettings settings) {
        String load = ctx.experiment.model().load();
        if (load != null && !load.isBlank()) {
            return ModelFiles.load(Path.of(load));
        }
        return JobModels.build(Conversions.model(ctx.experiment), ctx.data, settings);
    }

    private static void relay(StepContext ctx, String mode, TrainingEvent e) {
        if (e instanceof TrainingEvent.Epoch ep) {
            ctx.listener.onEvent(new TrainingEvent.Message(
                    ep.epoch(),
                    String.format(
                            Locale.ROOT,
                            "parallelCompare %s: epoch %d, test accuracy %.4f, %.1f s, %,.0f samples/s",
                            mode,
                            ep.epoch(),
                            ep.validationAccuracy(),
                            ep.seconds(),
                            ep.samplesPerSecond())));
        } else if (e instanceof TrainingEvent.Message m) {
            ctx.listener.onEvent(m);
        }
    }

    private static void write(StepContext ctx, List<Row> rows, List<String> summary, ParallelCompareSpec s) {
        StringBuilder csv = new StringBuilder("mode,epoch,samples_seen,wall_seconds,test_accuracy,test_loss\n");
        LineChart byTime =
                new LineChart("Test accuracy vs training time", "wall-clock seconds of training", "test accuracy");
        LineChart bySamples = new LineChart("Test accuracy vs samples seen", "training samples seen", "test accuracy");
        for (Row r : rows) {
            csv.append(String.format(
                    Locale.ROOT,
                    "%s,%d,%d,%.3f,%.4f,%.4f%n",
                    r.mode(),
                    r.epoch(),
                    r.samplesSeen(),
                    r.wallSeconds(),
                    r.testAccuracy(),
                    r.testLoss()));
            byTime.point(r.mode(), r.wallSeconds(), r.testAccuracy());
            bySamples.point(r.mode(), (double) r.samplesSeen(), r.testAccuracy());
        }
        ctx.run.writeText(CSV, csv.toString());
        ctx.run.writeText("parallel-compare.md", report(summary, s));
        try {
            byTime.writePng(ctx.run.file("parallel-compare-time.png"), 900, 600);
            bySamples.writePng(ctx.run.file("parallel-compare-samples.png"), 900, 600);
        } catch (IOException e) {
            throw AtomicFiles.failure(ctx.run.dir().resolve("parallel-compare-*.png"), e);
        }
    }

    /** The table and, plainly, what the machine it ran on can and cannot show. */
    static String report(List<String> summary, ParallelCompareSpec s) {
        int cores = dev.keiryo.engine.backend.NativeSetup.cpuCores();
        StringBuilder b = new StringBuilder("# Single vs synchronous vs asynchronous data-parallel training\n\n");
        b.append("| mode (variant) | workers | final test accuracy | training seconds | samples/s |\n");
        b.append("|---|---|---|---|---|\n");
        summary.forEach(l -> b.append(l).append('\n'));
        b.append("\n## What this machine can and cannot show\n\n");
        b.append(String.format(
                Locale.ROOT,
                "This machine has %d CPU core(s) and trains on the CPU. ND4J already spreads one"
                        + " worker's matrix work over all %d cores, so %d CPU workers share the same cores instead of adding any:"
                        + " a speed-up from data parallelism cannot show here, and any difference in samples/s is overhead or"
                        + " thread scheduling, not parallel hardware.%n%n",
                cores,
                cores,
                s.workers()));
        b.append("What it does show is the accuracy each mode reaches per sample seen (the samples chart): synchronous"
                + " averaging trains with a global batch of workers x batch, so it makes fewer, larger steps per epoch;"
                + " asynchronous gradient sharing sends only the update entries above a threshold (the rest waits in a"
                + " residual), which costs accuracy per sample. On a machine with one GPU per worker the time chart would"
                + " show the speed-up; run the same experiment there with train.devices: cuda.\n");
        return b.toString();
    }
}
