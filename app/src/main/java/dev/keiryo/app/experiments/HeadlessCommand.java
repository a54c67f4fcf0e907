package dev.keiryo.app.experiments;

import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.DistillStepSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.ParallelSpec;
import dev.keiryo.engine.api.experiment.TrainSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The {@code keiryo} command that does headless what the workbench did or would do. */
public final class HeadlessCommand {
    private HeadlessCommand() {}

    /** Replays an experiment file, steps included. */
    public static String forFile(Path file) {
        return "./keiryo train " + quote(file.toString());
    }

    /**
     * The same experiment from flags alone, steps aside (steps cannot be given as flags: save the
     * experiment and use {@link #forFile} for those). {@code keiryo train} starts from the defaults,
     * so every setting that differs from them is a flag.
     */
    public static String forFlags(Experiment e) {
        List<String> a = new ArrayList<>(List.of("./keiryo", "train", "--name", quote(e.name())));
        a.addAll(modelFlags(e.model()));
        a.addAll(dataFlags(e));
        a.addAll(List.of("--epochs", Integer.toString(e.train().epochs())));
        a.addAll(trainingFlags(e));
        TrainSpec t = e.train();
        TrainSpec dt = TrainSpec.defaults();
        if (t.checkpointEveryEpochs() != dt.checkpointEveryEpochs()) {
            a.addAll(List.of("--checkpoint-every", Integer.toString(t.checkpointEveryEpochs())));
        }
        if (!e.eval().latency()) {
            a.add("--no-latency");
        }
        a.addAll(parallel(t.parallel()));
        return String.join(" ", a);
    }

    /**
     * A loaded model replaces the preset, so the preset is named only when it is not the default
     * one: the command then still makes the very same experiment.
     */
    private static List<String> modelFlags(ModelSpec m) {
        ModelSpec d = ModelSpec.defaults();
        List<String> a = new ArrayList<>();
        if (m.load() != null) {
            a.addAll(List.of("--load", quote(m.load())));
        }
        if (m.load() == null || m.preset() != d.preset()) {
            a.addAll(List.of("--model", m.preset().id()));
        }
        if (m.width() != d.width()) {
            a.addAll(List.of("--width", num(m.width())));
        }
        if (!m.hidden().equals(d.hidden())) {
            a.addAll(List.of(
                    "--hidden",
                    String.join(",", m.hidden().stream().map(String::valueOf).toList())));
        }
        if (m.dropout() != d.dropout()) {
            a.addAll(List.of("--dropout", num(m.dropout())));
        }
        return a;
    }

    /**
     * A distillation step from flags: {@code keiryo distill} on the teacher's model file, with the
     * session's data and training settings (the students train with them).
     */
    public static String forDistill(Path teacher, DistillStepSpec d, Experiment e) {
        return String.join(" ", distill(teacher, d, e, d.width() == null ? null : num(d.width())));
    }

    /**
     * A student-width sweep: one {@code keiryo distill} run per width, the same student, KD settings
     * and seeds otherwise (the workbench adds them to one run; headless each width is its own run).
     */
    public static String forDistillSweep(Path teacher, DistillStepSpec d, List<Double> widths, Experiment e) {
        return "for w in "
                + String.join(" ", widths.stream().map(HeadlessCommand::num).toList()) + "; do "
                + String.join(" ", distill(teacher, d, e, "$w")) + "; done";
    }

    private static List<String> distill(Path teacher, DistillStepSpec d, Experiment e, String width) {
        List<String> a = new ArrayList<>(List.of("./keiryo", "distill", quote(teacher.toString())));
        if (d.student() != null) {
            a.addAll(List.of("--student", d.student().id()));
        }
        if (width != null) {
            a.addAll(List.of("--width", width));
        }
        if (d.hidden() != null && !d.hidden().isEmpty()) {
            a.addAll(List.of(
                    "--hidden",
                    String.join(",", d.hidden().stream().map(String::valueOf).toList())));
        }
        a.addAll(List.of(
                "--temperature",
                num(d.temperature()),
                "--alpha",
                num(d.alpha()),
                "--epochs",
                Integer.toString(d.epochs()),
                "--seeds",
                Integer.toString(d.seedCount())));
        if (d.compare()) {
            a.add("--compare");
        }
        if (d.hintLayer() != null && d.guidedLayer() != null) {
            a.addAll(List.of(
                    "--hint-layer",
                    quote(d.hintLayer()),
                    "--guided-layer",
                    quote(d.guidedLayer()),
                    "--hint-epochs",
                    Integer.toString(d.hintEpochs())));
        }
        a.addAll(dataFlags(e));
        a.addAll(trainingFlags(e));
        return a;
    }

    private static List<String> dataFlags(Experiment e) {
        List<String> a = new ArrayList<>(List.of("--source", e.data().source().id()));
        if (e.data().path() != null) {
            a.addAll(List.of("--data", quote(e.data().path())));
        }
        if (e.data().labelColumn() != null) {
            a.addAll(List.of("--label-column", quote(e.data().labelColumn())));
        }
        if (e.data().testPath() != null) {
            a.addAll(List.of("--test-data", quote(e.data().testPath())));
        }
        if (e.data().limitTrain() != null) {
            a.addAll(List.of("--limit-train", Integer.toString(e.data().limitTrain())));
        }
        DataSpec d = DataSpec.defaults();
        if (e.data().validationFraction() != d.validationFraction()) {
            a.addAll(List.of("--validation-fraction", num(e.data().validationFraction())));
        }
        if (e.data().normalization() != d.normalization()) {
            a.addAll(List.of("--normalization", e.data().normalization().id()));
        }
        if (e.data().imageSize() != null) {
            a.addAll(List.of("--image-size", Integer.toString(e.data().imageSize())));
        }
        if (e.data().skipBadImages()) {
            a.add("--skip-bad-images");
        }
        if (e.data().augment() != d.augment()) {
            a.addAll(List.of("--augment", e.data().augment().id()));
        }
        return a;
    }

    private static List<String> trainingFlags(Experiment e) {
        List<String> a = new ArrayList<>(List.of(
                "--lr",
                num(e.train().learningRate()),
                "--batch",
                Integer.toString(e.train().batchSize()),
                "--optimizer",
                e.train().optimizer().id(),
                "--seed",
                Long.toString(e.seed())));
        TrainSpec d = TrainSpec.defaults();
        if (e.train().dataType() != d.dataType()) {
            a.addAll(List.of("--dtype", e.train().dataType().id()));
        }
        if (e.train().weightDecay() != d.weightDecay()) {
            a.addAll(List.of("--weight-decay", num(e.train().weightDecay())));
        }
        if (e.train().lrSchedule() != d.lrSchedule()) {
            a.addAll(List.of("--lr-schedule", e.train().lrSchedule().id()));
        }
        if (e.train().earlyStoppingPatience() != d.earlyStoppingPatience()) {
            a.addAll(List.of("--patience", Integer.toString(e.train().earlyStoppingPatience())));
        }
        return a;
    }

    /** The data-parallel flags of {@code keiryo train}: those whose setting is not the default. */
    private static List<String> parallel(ParallelSpec p) {
        ParallelSpec d = ParallelSpec.defaults();
        List<String> a = new ArrayList<>();
        if (p.mode() != d.mode()) {
            a.addAll(List.of("--mode", p.mode().id()));
        }
        if (p.workers() != null) {
            a.addAll(List.of("--workers", Integer.toString(p.workers())));
        }
        if (p.averagingFrequency() != d.averagingFrequency() || p.mode() == ParallelSpec.TrainMode.SYNC) {
            a.addAll(List.of("--averaging-frequency", Integer.toString(p.averagingFrequency())));
        }
        if (!p.averageUpdaters()) {
            a.add("--no-average-updaters");
        }
        if (p.prefetch() != d.prefetch()) {
            a.addAll(List.of("--prefetch", Integer.toString(p.prefetch())));
        }
        if (p.thresholdAlgorithm() != d.thresholdAlgorithm()) {
            a.addAll(List.of("--threshold-algorithm", p.thresholdAlgorithm().id()));
        }
        if (p.threshold() != null) {
            a.addAll(List.of("--threshold", Double.toString(p.threshold())));
        }
        if (p.maxSparsity() != d.maxSparsity()) {
            a.addAll(List.of("--max-sparsity", Double.toString(p.maxSparsity())));
        }
        if (p.residualClip() != d.residualClip()) {
            a.addAll(List.of("--residual-clip", num(p.residualClip())));
        }
        if (!p.devices().isEmpty()) {
            a.addAll(List.of("--devices", String.join(",", p.devices())));
        }
        if (p.deviceFallback() != d.deviceFallback()) {
            a.addAll(List.of("--device-fallback", p.deviceFallback().id()));
        }
        if (p.stallSeconds() != d.stallSeconds()) {
            a.addAll(List.of("--stall-seconds", Integer.toString(p.stallSeconds())));
        }
        return a;
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_./=:-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
