package dev.keiryo.engine.job;

import dev.keiryo.engine.api.experiment.AtomicFiles;
import dev.keiryo.engine.api.experiment.QuantSweepSpec;
import dev.keiryo.engine.api.experiment.QuantizeStepSpec;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.preview.PreviewSubset;
import dev.keiryo.engine.report.LineChart;
import dev.keiryo.engine.train.TrainSettings;
import java.io.IOException;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Accuracy against bits for one parent: each bit width and granularity quantized post-training
 * (and, if asked, quantization-aware) into a variant, then the float formats. Writes
 * {@code quant-sweep.csv} after every point, so a cancelled sweep keeps what it measured, and
 * {@code quant-sweep.png} at the end.
 */
final class QuantSweepStep {
    private static final DataType[] FORMATS = {DataType.DOUBLE, DataType.FLOAT, TrainSettings.HALF, DataType.BFLOAT16};

    private QuantSweepStep() {}

    static void run(StepContext ctx, QuantSweepSpec s) {
        Variant parent = ctx.variant(s.from());
        StringBuilder csv = new StringBuilder(
                "method,granularity,bits,format,accuracy,examples,file_bytes,compression_vs_float32," + "variant\n");
        LineChart chart =
                new LineChart("Accuracy vs bits per weight", "bits per weight (log scale)", "test accuracy").logX(2);
        chart.baseline(
                String.format(Locale.ROOT, "float32 %.4f", parent.metrics().accuracy()),
                parent.metrics().accuracy());
        for (String g : s.granularity()) {
            for (int bits : s.bits()) {
                for (boolean qat : s.qatEpochs() > 0 ? new boolean[] {false, true} : new boolean[] {false}) {
                    if (ctx.cancel.isCancelled()) {
                        write(ctx, csv, chart);
                        return;
                    }
                    Variant v = QuantizeStep.run(
                            ctx,
                            point(
                                    bits,
                                    "perChannel".equals(g),
                                    qat ? s.qatEpochs() : 0,
                                    s.qatLearningRate(),
                                    parent.id()));
                    String method = qat ? "QAT" : "PTQ";
                    chart.point(method + " " + label(g), bits, v.metrics().accuracy());
                    csv.append(String.format(
                            Locale.ROOT,
                            "%s,%s,%d,%s,%.4f,%d,%d,%.2f,%s%n",
                            method,
                            g,
                            bits,
                            bits == 1 ? "binary" : "int" + bits,
                            v.metrics().accuracy(),
                            ctx.data.test().size(),
                            v.metrics().fileBytes(),
                            v.metrics().compressionVsFloat32(),
                            v.id()));
                    ctx.run.writeText("quant-sweep.csv", csv.toString());
                }
            }
        }
        if (s.formats()) {
            formats(ctx, ctx.model(parent), s.formatExamples(), csv, chart);
        }
        write(ctx, csv, chart);
    }

    /** 1 bit is binary (sign x scale); more bits are symmetric affine codes, so zeros stay zeros. */
    static QuantizeStepSpec point(int bits, boolean perChannel, int qatEpochs, Double qatLearningRate, String from) {
        return new QuantizeStepSpec(
                bits == 1 ? "binary" : "affine", bits, true, perChannel, true, false, qatEpochs, qatLearningRate, from);
    }

    /**
     * The parent computed in each float format on the same test images. Not variants: the packed
     * file stores float32 or codes, and a float format is a way to run the model, not to store it.
     */
    private static void formats(StepContext ctx, KeiryoModel model, int examples, StringBuilder csv, LineChart chart) {
        PreviewSubset subset = new PreviewSubset(ctx.data.test(), model.meta(), examples);
        for (DataType t : FORMATS) {
            if (ctx.cancel.isCancelled()) {
                return;
            }
            double acc = subset.accuracy(model.net().convertDataType(t), ctx.cancel::isCancelled);
            int bits = t.width() * 8;
            String name = t.name().toLowerCase(Locale.ROOT);
            chart.point(
                    (t == DataType.BFLOAT16 ? "bfloat16" : "half, float, double") + " (first " + subset.size()
                            + " test images)",
                    bits,
                    acc);
            // No file: a float format is how the model runs; the ratio is float32 parameter bytes over this format's.
            csv.append(String.format(
                    Locale.ROOT, "format,-,%d,%s,%.4f,%d,,%.2f,%n", bits, name, acc, subset.size(), 4.0 / t.width()));
            ctx.run.writeText("quant-sweep.csv", csv.toString());
            ctx.listener.onEvent(new TrainingEvent.Message(
                    0, String.format(Locale.ROOT, "%s: accuracy %.4f on %d test images", name, acc, subset.size())));
        }
    }

    private static String label(String granularity) {
        return "perChannel".equals(granularity) ? "per channel" : "per tensor";
    }

    private static void write(StepContext ctx, StringBuilder csv, LineChart chart) {
        ctx.run.writeText("quant-sweep.csv", csv.toString());
        try {
            chart.writePng(ctx.run.file("quant-sweep.png"), 900, 600);
        } catch (IOException e) {
            throw AtomicFiles.failure(ctx.run.file("quant-sweep.png"), e);
        }
    }
}
