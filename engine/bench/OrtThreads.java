import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How ONNX Runtime's threading settings change the time of one batch of 256 for a float32 and an
 * int8 export of a 1x28x28 model (e.g. LeNet-5 from {@code keiryo export}): ONNX Runtime's default
 * intra-op threads (one per core, spinning), the same without spinning
 * ({@code session.intra_op.allow_spinning=0}), one intra-op thread, and one intra-op thread with the
 * batch split in two halves run at once from two Java threads. Each setting is timed 20 times per
 * round (p50), the settings take turns, and the median over the rounds is printed.
 *
 * <pre>
 * java -cp engine/target/keiryo-engine.jar engine/bench/OrtThreads.java FLOAT.onnx INT8.onnx [rounds=5]
 * </pre>
 */
public class OrtThreads {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final int BATCH = 256;
    private static final int REPS = 20;
    private static final String[] SETTINGS = {
        "default threads", "default threads, no spinning", "1 thread", "1 thread, 2 halves at once"
    };

    private static OrtSession open(String file, int setting) throws Exception {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (setting == 1) {
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
        }
        if (setting >= 2) {
            o.setIntraOpNumThreads(1);
        }
        return ENV.createSession(file, o);
    }

    private static void run(OrtSession s, float[] x, int n) throws Exception {
        try (OnnxTensor t = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x, 0, n * 784), new long[] {n, 1, 28, 28});
                OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), t))) {
            r.get(0);
        }
    }

    private static void batch(OrtSession s, int setting, float[] x, float[] half, ExecutorService other)
            throws Exception {
        if (setting == 3) {
            Future<?> g = other.submit(() -> {
                run(s, half, BATCH / 2);
                return null;
            });
            run(s, half, BATCH / 2);
            g.get();
        } else {
            run(s, x, BATCH);
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 2 ? Integer.parseInt(args[2].replace("rounds=", "")) : 5;
        float[] x = new float[BATCH * 784];
        Random random = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(256);
        }
        float[] half = Arrays.copyOf(x, BATCH / 2 * 784);
        ExecutorService other = Executors.newSingleThreadExecutor();
        String[] formats = {"float32", "int8"};
        OrtSession[][] sessions = new OrtSession[2][SETTINGS.length];
        for (int f = 0; f < 2; f++) {
            for (int k = 0; k < SETTINGS.length; k++) {
                sessions[f][k] = open(args[f], k);
            }
        }
        Map<String, List<Double>> p50 = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (int f = 0; f < 2; f++) {
                for (int k = 0; k < SETTINGS.length; k++) {
                    for (int w = 0; w < 3; w++) {
                        batch(sessions[f][k], k, x, half, other);
                    }
                    double[] t = new double[REPS];
                    for (int r = 0; r < REPS; r++) {
                        long t0 = System.nanoTime();
                        batch(sessions[f][k], k, x, half, other);
                        t[r] = (System.nanoTime() - t0) / 1e6;
                    }
                    Arrays.sort(t);
                    p50.computeIfAbsent(formats[f] + ", " + SETTINGS[k], s -> new ArrayList<>()).add(t[REPS / 2]);
                }
            }
        }
        for (Map.Entry<String, List<Double>> e : p50.entrySet()) {
            List<Double> v = new ArrayList<>(e.getValue());
            Collections.sort(v);
            System.out.printf(
                    Locale.ROOT, "%-40s batch %d: median %.2f ms, rounds %s%n", e.getKey(), BATCH, v.get(v.size() / 2),
                    e.getValue());
        }
        other.shutdown();
    }
}
