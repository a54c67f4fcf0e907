import dev.keiryo.engine.backend.NativeSetup;
import dev.keiryo.engine.train.OpThreads;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The matrix products of one LeNet-300-100 training step at batch 128 through ND4J on one thread,
 * as the dense fast step calls them (weights in DL4J's column-major layout), each timed as the
 * median of 7 rounds of 500 calls. engine/bench/matmul_torch.py times the same products in PyTorch.
 *
 * <p>Run: {@code java -XX:+UseSerialGC -cp "engine/target/keiryo-engine.jar:engine/target/lib/*"
 * engine/bench/Matmul.java}
 */
public class Matmul {
    public static void main(String[] args) {
        NativeSetup.initialize();
        try (OpThreads.Scope one = OpThreads.limitAll(1)) {
            int b = 128;
            int[][] layers = {{784, 300}, {300, 100}, {100, 10}};
            double total = 0;
            for (int[] l : layers) {
                INDArray x = Nd4j.rand(DataType.FLOAT, b, l[0]);
                INDArray w = Nd4j.rand(DataType.FLOAT, l[0], l[1]).dup('f');
                INDArray z = Nd4j.create(DataType.FLOAT, b, l[1]);
                INDArray gw = Nd4j.create(DataType.FLOAT, new long[] {l[0], l[1]}, 'f');
                INDArray dx = Nd4j.create(DataType.FLOAT, b, l[0]);
                total += report("forward", l, time(() -> Nd4j.gemm(x, w, z, false, false, 1.0, 0.0)));
                total += report("weight gradient", l, time(() -> Nd4j.gemm(x, z, gw, true, false, 1.0, 0.0)));
                if (l[0] != 784) {
                    total += report("input gradient", l, time(() -> Nd4j.gemm(z, w, dx, false, true, 1.0, 0.0)));
                }
            }
            System.out.printf(Locale.ROOT, "RESULT {\"impl\":\"nd4j\",\"stepMicros\":%.1f}%n", total);
        }
    }

    private static double time(Runnable r) {
        double[] rounds = new double[7];
        for (int i = 0; i < 200; i++) {
            r.run();
        }
        for (int k = 0; k < rounds.length; k++) {
            long s = System.nanoTime();
            for (int i = 0; i < 500; i++) {
                r.run();
            }
            rounds[k] = (System.nanoTime() - s) / 1e3 / 500;
        }
        java.util.Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }

    private static double report(String what, int[] l, double micros) {
        double flops = 2.0 * 128 * l[0] * l[1];
        System.out.printf(Locale.ROOT, "%-16s %4d x %3d  %8.1f us  %6.1f GFLOP/s%n", what, l[0], l[1], micros, flops / micros / 1e3);
        return micros;
    }
}
