package dev.keiryo.engine.bench;

import dev.keiryo.engine.api.bench.FormatRow;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.preview.PreviewSubset;
import dev.keiryo.engine.train.TrainSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.DataSet;

/**
 * DOUBLE vs FLOAT vs HALF vs BFLOAT16 for one trained model, in one run: test accuracy of the
 * converted network, inference samples/s over the same images, and training samples/s of the
 * same architecture built in that format. 16-bit formats are far slower on a CPU (ND4J's CPU gemm
 * converts them to float32 and back), so they get fewer timed iterations and every row says how it
 * compares with float32 instead of implying a speedup.
 */
public final class FormatBench {
    private static final DataType[] FORMATS = {DataType.DOUBLE, DataType.FLOAT, TrainSettings.HALF, DataType.BFLOAT16};

    private FormatBench() {}

    public static List<FormatRow> run(KeiryoModel model, DataBundle data, int examples, long seed) {
        Dataset test = data.test();
        PreviewSubset subset = new PreviewSubset(test, model.meta(), examples);
        PreviewSubset warmup = new PreviewSubset(test, model.meta(), 250);
        double[] accuracy = new double[FORMATS.length];
        double[] infer = new double[FORMATS.length];
        Double[] train = new Double[FORMATS.length];
        String[] failure = new String[FORMATS.length];
        for (int i = 0; i < FORMATS.length; i++) {
            MultiLayerNetwork net = model.net().convertDataType(FORMATS[i]);
            warmup.accuracy(net, () -> false);
            long start = System.nanoTime();
            accuracy[i] = subset.accuracy(net, () -> false);
            infer[i] = subset.size() / ((System.nanoTime() - start) / 1e9);
            try {
                train[i] = trainSpeed(model, data, FORMATS[i], seed);
            } catch (RuntimeException e) {
                failure[i] = "ND4J cannot train in " + FORMATS[i].name().toLowerCase(Locale.ROOT) + " on the CPU ("
                        + reason(e) + ")";
            }
        }
        int f = 1;
        List<FormatRow> rows = new ArrayList<>();
        for (int i = 0; i < FORMATS.length; i++) {
            double iv = infer[i] / infer[f];
            Double tv = train[i] == null ? null : train[i] / train[f];
            rows.add(new FormatRow(
                    FORMATS[i].name().toLowerCase(Locale.ROOT),
                    FORMATS[i].width() * 8,
                    round(accuracy[i]),
                    subset.size(),
                    round(infer[i]),
                    train[i] == null ? null : round(train[i]),
                    round(iv),
                    tv == null ? null : round(tv),
                    note(FORMATS[i], iv, tv, failure[i])));
        }
        return rows;
    }

    private static String note(DataType t, double inferVsFloat, Double trainVsFloat, String failure) {
        if (t == DataType.FLOAT) {
            return "the baseline";
        }
        String speed = "inference " + relative(inferVsFloat)
                + (trainVsFloat == null ? "" : ", training " + relative(trainVsFloat));
        String why = t == DataType.DOUBLE
                ? "; oneDNN and the layer helpers speed up float32 only"
                : "; no speedup from 16-bit floats on this CPU: ND4J's CPU gemm casts them to float32 and back";
        return speed + why + (failure == null ? "" : "; " + failure);
    }

    /**
     * Samples/s training a freshly initialised copy of the model's architecture converted to
     * {@code type}; 16-bit formats get only a few batches. Speed only: nothing checks whether the
     * copy would converge (Adam's epsilon underflows in HALF; see Optimizer).
     */
    private static double trainSpeed(KeiryoModel model, DataBundle data, DataType type, long seed) {
        boolean slow = type == TrainSettings.HALF || type == DataType.BFLOAT16;
        MultiLayerNetwork fresh =
                new MultiLayerNetwork(model.net().getLayerWiseConfigurations().clone());
        fresh.init();
        MultiLayerNetwork net = type == DataType.FLOAT ? fresh : fresh.convertDataType(type);
        ArrayDataSetIterator it = ArrayDataSetIterator.builder(data.train())
                .normalization(model.meta().normalization())
                .batchSize(SpeedBench.BATCH)
                .seed(seed)
                .shuffle(true)
                .imageShaped(model.meta().imageShaped())
                .build();
        it.setPreProcessor((DataSet ds) -> {
            ds.setFeatures(ds.getFeatures().castTo(type));
            ds.setLabels(ds.getLabels().castTo(type));
        });
        return Throughput.training(net, it, slow ? 1 : 10, slow ? 4 : 60);
    }

    private static String relative(double ratio) {
        if (ratio >= 1) {
            return String.format(Locale.ROOT, "%.2fx as fast as float32", ratio);
        }
        return String.format(
                Locale.ROOT, 1 / ratio >= 10 ? "%.0fx slower than float32" : "%.1fx slower than float32", 1 / ratio);
    }

    /** ND4J names the failing op deep in its exception chain; the rest of its message is a generated id. */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("op type \\[(\\w+)]").matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return "its " + m.group(1) + " op rejects the type";
            }
        }
        return e.getClass().getSimpleName();
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
