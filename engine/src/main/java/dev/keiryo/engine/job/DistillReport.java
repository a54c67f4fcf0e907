package dev.keiryo.engine.job;

import dev.keiryo.engine.api.compress.DistillMode;
import dev.keiryo.engine.api.experiment.AtomicFiles;
import dev.keiryo.engine.experiment.Run;
import dev.keiryo.engine.report.LineChart;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison table of a distill step: one row per student (distill-runs.csv), mean and spread
 * per mode (distill-summary.csv), and the mean learning curve per mode (distill-curves.png).
 */
final class DistillReport {
    static final String RUNS = "distill-runs.csv";
    static final String SUMMARY = "distill-summary.csv";
    static final String CHART = "distill-curves.png";

    /** One trained student. {@code curve} is its per-epoch accuracy on the curve set. */
    record Row(
            DistillMode mode,
            long seed,
            String variant,
            double accuracy,
            double loss,
            long parameters,
            List<Double> curve,
            List<Double> hintLosses) {}

    /** Mean, sample standard deviation and range of one mode's test accuracies. */
    record Stats(DistillMode mode, int runs, double mean, double std, double min, double max) {
        static Stats of(DistillMode mode, List<Double> v) {
            double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
            return new Stats(
                    mode,
                    v.size(),
                    mean,
                    v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0,
                    v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        }
    }

    private DistillReport() {}

    static List<Stats> stats(List<Row> rows) {
        Map<DistillMode, List<Double>> by = new LinkedHashMap<>();
        rows.forEach(r -> by.computeIfAbsent(r.mode(), m -> new ArrayList<>()).add(r.accuracy()));
        return by.entrySet().stream()
                .map(e -> Stats.of(e.getKey(), e.getValue()))
                .toList();
    }

    static void write(
            Run run,
            List<Row> rows,
            double teacherAccuracy,
            long teacherParams,
            String student,
            String settings,
            String curveSet) {
        StringBuilder csv = new StringBuilder("mode,seed,variant,test_accuracy,test_loss,parameters,param_ratio,"
                + "hint_loss_first,hint_loss_last," + "curve_accuracy_per_epoch\n");
        for (Row r : rows) {
            csv.append(String.format(
                    Locale.ROOT,
                    "%s,%d,%s,%.6f,%.6f,%d,%.6f,%s,%s,%s%n",
                    r.mode().id(),
                    r.seed(),
                    r.variant(),
                    r.accuracy(),
                    r.loss(),
                    r.parameters(),
                    (double) r.parameters() / teacherParams,
                    r.hintLosses().isEmpty() ? "" : fmt(r.hintLosses().get(0)),
                    r.hintLosses().isEmpty()
                            ? ""
                            : fmt(r.hintLosses().get(r.hintLosses().size() - 1)),
                    String.join(" ", r.curve().stream().map(DistillReport::fmt).toList())));
        }
        run.writeText(RUNS, csv.toString());
        List<Stats> stats = stats(rows);
        double scratch = stats.stream()
                .filter(s -> s.mode() == DistillMode.SCRATCH)
                .mapToDouble(Stats::mean)
                .findFirst()
                .orElse(Double.NaN);
        StringBuilder sum = new StringBuilder("mode,runs,mean_accuracy,std_accuracy,min_accuracy,max_accuracy,"
                + "delta_vs_scratch,teacher_accuracy,parameters,teacher_parameters,param_ratio\n");
        long params = rows.isEmpty() ? 0 : rows.get(0).parameters();
        for (Stats s : stats) {
            sum.append(String.format(
                    Locale.ROOT,
                    "%s,%d,%.6f,%.6f,%.6f,%.6f,%s,%.6f,%d,%d,%.6f%n",
                    s.mode().id(),
                    s.runs(),
                    s.mean(),
                    s.std(),
                    s.min(),
                    s.max(),
                    Double.isNaN(scratch) ? "" : fmt(s.mean() - scratch),
                    teacherAccuracy,
                    params,
                    teacherParams,
                    (double) params / teacherParams));
        }
        run.writeText(SUMMARY, sum.toString());
        chart(run, rows, stats, teacherAccuracy, student, settings, curveSet);
    }

    private static void chart(
            Run run,
            List<Row> rows,
            List<Stats> stats,
            double teacherAccuracy,
            String student,
            String settings,
            String curveSet) {
        LineChart chart = new LineChart(
                "Distillation: " + student + " (" + settings + ")", "epoch", curveSet + " accuracy, mean over seeds");
        for (Stats s : stats) {
            List<List<Double>> curves = rows.stream()
                    .filter(r -> r.mode() == s.mode())
                    .map(Row::curve)
                    .toList();
            int epochs = curves.stream().mapToInt(List::size).min().orElse(0);
            String name = String.format(
                    Locale.ROOT, "%s: test %.4f ± %.4f (n=%d)", s.mode().id(), s.mean(), s.std(), s.runs());
            for (int e = 0; e < epochs; e++) {
                int at = e;
                chart.point(
                        name,
                        e + 1,
                        curves.stream().mapToDouble(c -> c.get(at)).average().orElse(Double.NaN));
            }
        }
        if (Double.isFinite(teacherAccuracy)) {
            chart.baseline(String.format(Locale.ROOT, "teacher %.4f", teacherAccuracy), teacherAccuracy);
        }
        try {
            chart.writePng(run.file(CHART), 900, 600);
        } catch (IOException e) {
            throw AtomicFiles.failure(run.file(CHART), e);
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
