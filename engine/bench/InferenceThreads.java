import dev.keiryo.engine.backend.NativeSetup;
import dev.keiryo.engine.compress.pack.PackReader;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelIO;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.Updaters;
import dev.keiryo.engine.train.OpThreads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference time of saved models on one thread against every core, by batch size: the
 * measurement behind the cut-off at which Keiryo runs a forward pass on one thread
 * ({@code OpThreads.SERIAL_INFERENCE_UP_TO}). For each model and batch the two settings take turns,
 * each timed as the p50 of many passes on random inputs of the model's shape; the median over the
 * rounds is printed with the largest activation of one pass.
 *
 * <pre>
 * java -XX:+UseSerialGC -cp "engine/target/keiryo-engine.jar:engine/target/lib/*" \
 *     engine/bench/InferenceThreads.java MODEL ... [batches=1,8,32,128,512] [rounds=3]
 * </pre>
 *
 * <p>MODEL is a model zip, a {@code .kpack}, or a preset with an optional width
 * ({@code resnet20@0.5}) built untrained for 28x28 grey input: time does not depend on the weights.
 *
 * <pre>
 * </pre>
 */
public class InferenceThreads {
    public static void main(String[] args) {
        NativeSetup.initialize();
        List<String> models = new ArrayList<>();
        int[] batches = {1, 8, 32, 128, 512};
        int rounds = 3;
        for (String a : args) {
            if (a.startsWith("batches=")) {
                batches = Arrays.stream(a.substring(8).split(",")).mapToInt(Integer::parseInt).toArray();
            } else if (a.startsWith("rounds=")) {
                rounds = Integer.parseInt(a.substring(7));
            } else {
                models.add(a);
            }
        }
        int cores = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        System.out.printf(Locale.ROOT, "# %d threads at most; p50 per pass, median of %d rounds%n", cores, rounds);
        System.out.println("model,batch,largest_activation,ms_1_thread,ms_all_threads,all_over_1");
        for (String name : models) {
            KeiryoModel m = model(name);
            ComputationGraph net = m.net();
            InputType in = m.meta().input().toInputType(m.meta().imageShaped());
            for (int b : batches) {
                INDArray x = in instanceof InputType.InputTypeConvolutional c
                        ? Nd4j.rand(DataType.FLOAT, b, c.getChannels(), c.getHeight(), c.getWidth())
                        : Nd4j.rand(DataType.FLOAT, b, in.arrayElementsPerExample());
                double[] one = new double[rounds];
                double[] all = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    try (OpThreads.Scope s = OpThreads.limitAll(1)) {
                        one[r] = p50(net, x);
                    }
                    all[r] = p50(net, x);
                }
                double o = median(one);
                double a = median(all);
                System.out.printf(
                        Locale.ROOT,
                        "%s,%d,%d,%.3f,%.3f,%.2f%n",
                        Path.of(name).getFileName(),
                        b,
                        OpThreads.largestActivation(net, x),
                        o,
                        a,
                        a / o);
            }
        }
    }

    private static KeiryoModel model(String name) {
        Path p = Path.of(name);
        if (name.endsWith(".kpack")) {
            return PackReader.read(p);
        }
        if (name.endsWith(".zip")) {
            return ModelIO.load(p);
        }
        String[] pw = name.split("@", 2);
        Architecture a = new Architecture(
                ArchitecturePreset.parse(pw[0]), pw.length > 1 ? Double.parseDouble(pw[1]) : 1.0, null, 0.0);
        TrainSettings s = new TrainSettings(Updaters.ADAM, 1e-3, 128, 1, DataType.FLOAT, 0, 0, 0, 1);
        InputShape in = new InputShape(1, 28, 28);
        boolean image = a.preset() != ArchitecturePreset.LENET300 && a.preset() != ArchitecturePreset.MLP;
        return new KeiryoModel(
                ModelFactory.build(a, in, 10, s),
                new ModelMeta(ModelMeta.FORMAT_VERSION, pw[0], in, image, 10, List.of(), Normalizer.scale(255f)));
    }

    private static double p50(ComputationGraph net, INDArray x) {
        int runs = (int) Math.max(5, Math.min(200, 2_000 / x.size(0)));
        long[] t = new long[runs];
        for (int i = -Math.max(3, runs / 5); i < runs; i++) {
            long s = System.nanoTime();
            net.outputSingle(false, x);
            if (i >= 0) {
                t[i] = System.nanoTime() - s;
            }
        }
        Arrays.sort(t);
        return t[runs / 2] / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
