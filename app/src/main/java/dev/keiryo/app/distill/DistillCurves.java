package dev.keiryo.app.distill;

import dev.keiryo.engine.api.compress.DistillMode;
import dev.keiryo.engine.api.experiment.DistillStepSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.run.TrainingEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The curves: chart data drained from a run's events (per-epoch accuracy per mode or width, the hint
 * stage's loss, the teacher's line), the test accuracy summary, and the progress and messages they imply.
 */
final class DistillCurves {
    /** An event of step {@code item} of {@code items}; {@code width} is the student's width in a sweep, null otherwise. */
    record Tagged(TrainingEvent event, Double width, int item, int items) {}

    private final StringProperty message;
    private final DoubleProperty progress;
    private final Consumer<String> finished;
    private final StringProperty summary = new SimpleStringProperty("");
    private final StringProperty curveSet = new SimpleStringProperty("validation");
    private final Map<DistillMode, XYSeriesCollection> curves = new EnumMap<>(DistillMode.class);
    private final XYSeriesCollection teacherLine = new XYSeriesCollection();
    private final XYSeriesCollection hintLoss = new XYSeriesCollection();
    private final XYSeriesCollection sweepCurves = new XYSeriesCollection();
    private final Map<String, XYSeries> series = new LinkedHashMap<>();
    private final Map<DistillMode, List<Double>> results = new EnumMap<>(DistillMode.class);
    private final Map<Double, List<Double>> sweepResults = new LinkedHashMap<>();
    private DistillStepSpec runningSpec;
    private TrainingEvent.Student current;

    /**
     * @param message where the run's messages go
     * @param progress the whole run's progress, from 0 to 1
     * @param finished told the variant id of each student as it finishes
     */
    DistillCurves(StringProperty message, DoubleProperty progress, Consumer<String> finished) {
        this.message = message;
        this.progress = progress;
        this.finished = finished;
        for (DistillMode m : DistillMode.values()) {
            curves.put(m, new XYSeriesCollection());
        }
    }

    /** Names the split the per-epoch curves of a run of {@code e} are measured on. */
    void measuredOn(Experiment e) {
        curveSet.set(e.data().validationFraction() > 0 ? "validation" : "training-subset");
    }

    /** Empties every chart for a run whose first step is {@code first}. */
    void clear(DistillStepSpec first) {
        runningSpec = first;
        current = null;
        curves.values().forEach(XYSeriesCollection::removeAllSeries);
        sweepCurves.removeAllSeries();
        teacherLine.removeAllSeries();
        hintLoss.removeAllSeries();
        series.clear();
        results.clear();
        sweepResults.clear();
        summary.set("");
    }

    void show(List<Tagged> batch) {
        Set<XYSeries> changed = new LinkedHashSet<>();
        for (Tagged t : batch) {
            TrainingEvent e = t.event();
            if (e instanceof TrainingEvent.Student st) {
                student(st, t);
            } else if (e instanceof TrainingEvent.Iteration it && current != null) {
                double x = it.epoch() - 1 + (double) it.batchInEpoch() / it.batchesPerEpoch();
                if (TrainingEvent.Student.HINT.equals(current.stage())) {
                    XYSeries hint = series(hintLoss, "hint", current, t.width());
                    hint.add(x, it.loss(), false);
                    changed.add(hint);
                }
                double done = x + (TrainingEvent.Student.TRAIN.equals(current.stage()) ? hintEpochsOf(current) : 0);
                progress.set(overall(
                        t, Math.min(1, (current.student() - 1 + done / epochsOf(current)) / current.students())));
            } else if (e instanceof TrainingEvent.Epoch ep
                    && current != null
                    && TrainingEvent.Student.TRAIN.equals(current.stage())
                    && Double.isFinite(ep.validationAccuracy())) {
                XYSeriesCollection into = t.width() == null ? curves.get(mode(current)) : sweepCurves;
                XYSeries curve = series(into, "curve", current, t.width());
                curve.add(ep.epoch(), ep.validationAccuracy(), false);
                changed.add(curve);
            } else if (e instanceof TrainingEvent.Message m) {
                message.set(prefix(t) + m.text());
            }
        }
        // Each notification redraws a whole chart on the UI thread: only the series that moved.
        changed.forEach(XYSeries::fireSeriesChanged);
    }

    /** The progress of the whole run (a sweep's steps in turn) from the progress within one step. */
    private static double overall(Tagged t, double withinStep) {
        return (t.item() + withinStep) / t.items();
    }

    private static String prefix(Tagged t) {
        return t.width() == null
                ? ""
                : String.format(Locale.ROOT, "Width x%s (%d of %d): ", Widths.text(t.width()), t.item() + 1, t.items());
    }

    private void student(TrainingEvent.Student st, Tagged t) {
        current = st;
        if (teacherLine.getSeriesCount() == 0 && Double.isFinite(st.teacherAccuracy())) {
            XYSeries line = new XYSeries(String.format(Locale.ROOT, "teacher (test) %.4f", st.teacherAccuracy()));
            line.add(1, st.teacherAccuracy());
            line.add(Math.max(2, runningSpec.epochs()), st.teacherAccuracy());
            teacherLine.addSeries(line);
        }
        String who = prefix(t)
                + String.format(
                        Locale.ROOT,
                        "Student %d of %d: %s, seed %d",
                        st.student(),
                        st.students(),
                        st.mode(),
                        st.seed());
        switch (st.stage()) {
            case TrainingEvent.Student.HINT ->
                message.set(who + ": stage 1, hint training (" + st.epochs() + " epoch(s))...");
            case TrainingEvent.Student.TRAIN ->
                message.set(who
                        + (mode(st) == DistillMode.SCRATCH
                                ? ": labels only ("
                                : mode(st) == DistillMode.HINTS_KD ? ": stage 2, KD (" : ": KD (")
                        + st.epochs() + " epoch(s))...");
            default -> {
                if (t.width() == null) {
                    results.computeIfAbsent(mode(st), m -> new ArrayList<>()).add(st.testAccuracy());
                    summary.set(summaryText());
                } else {
                    sweepResults
                            .computeIfAbsent(t.width(), w -> new ArrayList<>())
                            .add(st.testAccuracy());
                    summary.set(sweepSummaryText());
                }
                message.set(String.format(
                        Locale.ROOT, "%s -> %s, test accuracy %.4f", who, st.variant(), st.testAccuracy()));
                progress.set(overall(t, (double) st.student() / st.students()));
                finished.accept(st.variant());
            }
        }
    }

    private static DistillMode mode(TrainingEvent.Student st) {
        for (DistillMode m : DistillMode.values()) {
            if (m.id().equals(st.mode())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown distillation mode " + st.mode());
    }

    private int hintEpochsOf(TrainingEvent.Student st) {
        return mode(st) == DistillMode.HINTS_KD ? runningSpec.hintEpochs() : 0;
    }

    private int epochsOf(TrainingEvent.Student st) {
        return Math.max(1, hintEpochsOf(st) + runningSpec.epochs());
    }

    private XYSeries series(XYSeriesCollection into, String kind, TrainingEvent.Student st, Double width) {
        String key = kind + "/" + width + "/" + st.mode() + "/" + st.seed();
        return series.computeIfAbsent(key, k -> {
            XYSeries s = new XYSeries(
                    (width == null ? "" : "x" + Widths.text(width) + " ")
                            + st.mode()
                            + (runningSpec.seedCount() > 1 ? ", seed " + st.seed() : "")
                            + ("hint".equals(kind) ? " (hint stage, L2)" : ""),
                    false,
                    true);
            into.addSeries(s);
            return s;
        });
    }

    /** A sweep's test accuracy per width: the mean over its seeds finished so far. */
    String sweepSummaryText() {
        List<String> parts = new ArrayList<>();
        sweepResults.forEach((w, acc) -> parts.add(String.format(
                Locale.ROOT,
                "x%s %.4f%s",
                Widths.text(w),
                mean(acc),
                acc.size() > 1 ? " (mean of " + acc.size() + ")" : "")));
        return "Test accuracy by student width: " + String.join(" | ", parts);
    }

    /** Test accuracy per mode: the mean over the seeds finished so far, and its difference to scratch. */
    String summaryText() {
        List<Double> scratch = results.get(DistillMode.SCRATCH);
        double base = scratch == null ? Double.NaN : mean(scratch);
        List<String> parts = new ArrayList<>();
        results.forEach((m, acc) -> parts.add(String.format(
                Locale.ROOT,
                "%s %.4f%s%s",
                m.id(),
                mean(acc),
                acc.size() > 1 ? " (mean of " + acc.size() + ")" : "",
                m == DistillMode.SCRATCH || Double.isNaN(base)
                        ? ""
                        : String.format(Locale.ROOT, ", %+.4f vs scratch", mean(acc) - base))));
        return "Test accuracy: " + String.join(" | ", parts);
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    StringProperty summaryProperty() {
        return summary;
    }

    StringProperty curveSetProperty() {
        return curveSet;
    }

    XYSeriesCollection curves(DistillMode m) {
        return curves.get(m);
    }

    XYSeriesCollection teacherLine() {
        return teacherLine;
    }

    XYSeriesCollection hintLoss() {
        return hintLoss;
    }

    XYSeriesCollection sweepCurves() {
        return sweepCurves;
    }
}
