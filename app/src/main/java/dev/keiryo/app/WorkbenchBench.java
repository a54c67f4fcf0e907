package dev.keiryo.app;

import static dev.keiryo.app.FxDriver.latency;
import static dev.keiryo.app.FxDriver.onFx;
import static dev.keiryo.app.FxDriver.trainInGui;
import static dev.keiryo.app.FxDriver.waitUntil;

import dev.keiryo.app.concurrent.FxTasks;
import dev.keiryo.app.workspace.AppPrefs;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.compress.QuantPreviewResult;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.run.MetricRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.stage.Stage;

/**
 * The workbench's benchmark, a command rather than a test: LeNet-5 training speed on the bundled
 * sample with the workbench's live charts attached vs the same session headless (alternating
 * rounds; goal >= 95%), the latency from a pruning-slider or bit-width move to the updated
 * preview number on screen (goal: median < 150 ms), and for a new variant the time its quantization
 * preview takes to prepare in the background and then to show once the view is ready (goal: p95 <
 * 100 ms). Needs a display, or run it under xvfb-run.
 * Prints one RESULT line of JSON per measurement.
 */
public final class WorkbenchBench {
    private WorkbenchBench() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int moves = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        if (rounds < 1 || moves < 1 || epochs < 1) {
            System.err.println(
                    "keiryo-workbench --bench [ROUNDS [MOVES [EPOCHS]]]: each must be at least 1, e.g. --bench 5 30 3.");
            System.exit(2);
        }
        Engine engine = Engine.local();
        engine.prepare();
        Path dir;
        try {
            dir = Files.createTempDirectory("keiryo-bench");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Experiment exp = experiment(epochs);
        FxDriver.startFx();
        Workbench wb = onFx(() -> {
            Workbench w = new Workbench(
                    new FxTasks(), new AppPrefs(Preferences.userRoot().node("dev/keiryo/bench")), dir);
            w.show(new Stage());
            return w;
        });
        // One unmeasured round of each first: class loading, JIT and native caches would favour the later runs.
        engine.start(dir.resolve("warmup"), exp, null, null);
        trainInGui(wb, exp);
        List<Double> headless = new ArrayList<>();
        List<Double> gui = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            headless.add(
                    speed(engine.start(dir.resolve("headless"), exp, null, null).runDir()));
            gui.add(speed(trainInGui(wb, exp)));
        }
        System.out.printf(
                Locale.ROOT,
                "RESULT {\"bench\":\"train-speed\",\"model\":\"lenet5\",\"headless\":%s,\"gui\":%s,"
                        + "\"ratio\":%.3f}%n",
                headless,
                gui,
                median(gui) / median(headless));
        int examples = wb.workspace().session().orElseThrow().data().choiceExamples();
        report("prune-slider-connection", examples, sliderLatency(wb, moves, false));
        report("prune-slider-unit", examples, sliderLatency(wb, moves, true));
        report("quantize-bits", examples, bitsLatency(wb));
        double[][] first = firstQuantizePreview(wb, moves);
        report("quantize-prepare", examples, first[0]);
        report("quantize-first-preview", examples, first[1]);
        Platform.exit();
        System.exit(0);
    }

    /** Rounds of one epoch (35 minibatches, under 3 s) varied by up to 40%; three are steadier. */
    static Experiment experiment(int epochs) {
        Experiment d = Workspace.defaults();
        return d.withName("bench")
                .withModel(d.model().withPreset(ModelSpec.Preset.LENET5))
                .withTrain(d.train().withEpochs(epochs))
                .withEval(d.eval().withLatency(false));
    }

    /**
     * Samples/s over all of the run's epochs, from the per-epoch rates its metrics recorded: their
     * harmonic mean, which is total samples over total training time when epochs are equally long.
     */
    static double speed(Path run) {
        double inverse = 0;
        int epochs = 0;
        for (MetricRow row : Engine.local().metrics(run)) {
            if ("samples_per_second".equals(row.name())) {
                inverse += 1 / row.value();
                epochs++;
            }
        }
        if (epochs == 0) {
            throw new IllegalStateException("no samples_per_second in " + run);
        }
        return Math.round(epochs / inverse);
    }

    /** Moves the slider, then waits for the preview number to change: one measurement per move. */
    private static double[] sliderLatency(Workbench wb, int moves, boolean unit) {
        onFx(() -> {
            wb.tabs().getSelectionModel().select(3);
            wb.prune()
                    .modeProperty()
                    .set(
                            unit
                                    ? dev.keiryo.engine.api.experiment.PruneMode.UNIT
                                    : dev.keiryo.engine.api.experiment.PruneMode.CONNECTION);
            return null;
        });
        waitUntil(() -> wb.prune().readyProperty().get());
        double[] ms = new double[moves];
        for (int i = 0; i < moves; i++) {
            double v = 0.05 + 0.85 * ((i * 7) % moves) / moves;
            ms[i] = latency(
                    wb.prune().previewTextProperty(),
                    () -> wb.prune().amountProperty().set(v));
        }
        return ms;
    }

    private static double[] bitsLatency(Workbench wb) {
        onFx(() -> {
            wb.tabs().getSelectionModel().select(4);
            return null;
        });
        waitUntil(() -> wb.quantize().readyProperty().get());
        int[] bits = {7, 6, 5, 4, 3, 2, 9, 10, 12, 16};
        double[] ms = new double[bits.length];
        for (int i = 0; i < bits.length; i++) {
            int b = bits[i];
            ms[i] = latency(
                    wb.quantize().previewTextProperty(),
                    () -> wb.quantize().bitsProperty().set(b));
        }
        return ms;
    }

    /**
     * A freshly prepared base variant, as after training or Apply, re-prepared {@code rounds} times
     * (prune's preview is prepared alongside, as in the window): [0] the wall time from the new base
     * to the Quantize view being ready (background work, the view says it is preparing), [1] from
     * ready to the first (8-bit) preview on screen, what a user who opens the view then waits for.
     */
    private static double[][] firstQuantizePreview(Workbench wb, int rounds) {
        var base = onFx(() -> {
            wb.quantize().bitsProperty().set(8);
            return wb.workspace().baseProperty().get();
        });
        double[][] ms = new double[2][rounds];
        for (int i = 0; i < rounds; i++) {
            long[] at = new long[3];
            CompletableFuture<QuantPreviewResult> first = new CompletableFuture<>();
            Platform.runLater(() -> {
                ChangeListener<Boolean> ready = (o, a, b) -> {
                    if (b && at[1] == 0) {
                        at[1] = System.nanoTime();
                    }
                };
                ChangeListener<QuantPreviewResult> l = new ChangeListener<>() {
                    @Override
                    public void changed(
                            javafx.beans.value.ObservableValue<? extends QuantPreviewResult> o,
                            QuantPreviewResult a,
                            QuantPreviewResult b) {
                        if (b != null) {
                            at[2] = System.nanoTime();
                            wb.quantize().previewProperty().removeListener(this);
                            wb.quantize().readyProperty().removeListener(ready);
                            first.complete(b);
                        }
                    }
                };
                wb.quantize().readyProperty().addListener(ready);
                wb.quantize().previewProperty().addListener(l);
                wb.workspace().baseProperty().set(null);
                at[0] = System.nanoTime();
                wb.workspace().baseProperty().set(base);
            });
            try {
                first.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the first quantization preview did not come within 60 s", e);
            }
            ms[0][i] = (at[1] - at[0]) / 1e6;
            ms[1][i] = (at[2] - at[1]) / 1e6;
            waitUntil(() -> wb.prune().readyProperty().get());
        }
        return ms;
    }

    private static void report(String what, int examples, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        System.out.printf(
                Locale.ROOT,
                "RESULT {\"bench\":\"%s\",\"model\":\"lenet5\",\"previewExamples\":%d,\"moves\":%d,"
                        + "\"medianMs\":%.1f,\"p95Ms\":%.1f}%n",
                what,
                Math.min(examples, 1000),
                s.length,
                s[s.length / 2],
                s[(int) Math.ceil(0.95 * s.length) - 1]);
    }

    private static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s[s.length / 2];
    }
}
