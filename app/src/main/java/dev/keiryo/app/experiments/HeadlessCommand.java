package dev.keiryo.app.experiments;

import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.DistillStepSpec;
import dev.keiryo.engine.api.experiment.Experiment;
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
     * The same training from flags alone (steps cannot be given as flags: save the experiment
     * and use {@link #forFile} for those).
     */
    public static String forFlags(Experiment e) {
        List<String> a = new ArrayList<>(List.of("./keiryo", "train", "--name", e.name()));
        if (e.model().load() != null) {
            // A loaded model is evaluated (and compressed) by the prune/quantize commands instead.
            a.addAll(List.of("--model", e.model().preset().id()));
        } else {
            a.addAll(List.of("--model", e.model().preset().id()));
            if (e.model().width() != 1.0) {
                a.addAll(List.of("--width", num(e.model().width())));
            }
        }
        a.addAll(dataFlags(e));
        a.addAll(List.of("--epochs", Integer.toString(e.train().epochs())));
        a.addAll(trainingFlags(e));
        a.addAll(parallel(e.train().parallel()));
        return String.join(" ", a);
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
        if (e.data().path() != null && e.data().source() != DataSpec.Source.SAMPLE) {
            a.addAll(List.of("--data", quote(e.data().path())));
        }
        if (e.data().labelColumn() != null && e.data().source() == DataSpec.Source.CSV) {
            a.addAll(List.of("--label-column", quote(e.data().labelColumn())));
        }
        if (e.data().limitTrain() != null) {
            a.addAll(List.of("--limit-train", Integer.toString(e.data().limitTrain())));
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
        if (e.train().dataType() != TrainSpec.DataType.FLOAT) {
            a.addAll(List.of("--dtype", e.train().dataType().id()));
        }
        return a;
    }

    /** The data-parallel flags of {@code keiryo train}; none in single mode. */
    private static List<String> parallel(ParallelSpec p) {
        List<String> a = new ArrayList<>();
        if (p.mode() == ParallelSpec.TrainMode.SINGLE) {
            return a;
        }
        a.addAll(List.of("--mode", p.mode().id()));
        if (p.workers() != null) {
            a.addAll(List.of("--workers", Integer.toString(p.workers())));
        }
        if (p.mode() == ParallelSpec.TrainMode.SYNC) {
            a.addAll(List.of("--averaging-frequency", Integer.toString(p.averagingFrequency())));
        } else {
            ParallelSpec d = ParallelSpec.defaults();
            if (p.maxSparsity() != d.maxSparsity()) {
                a.addAll(List.of("--max-sparsity", Double.toString(p.maxSparsity())));
            }
            if (p.residualClip() != d.residualClip()) {
                a.addAll(List.of("--residual-clip", num(p.residualClip())));
            }
        }
        if (!p.devices().isEmpty()) {
            a.addAll(List.of("--devices", String.join(",", p.devices())));
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
