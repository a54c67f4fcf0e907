import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import dev.keiryo.engine.backend.NativeSetup;
import dev.keiryo.engine.train.OpThreads;
import java.util.Locale;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The matrix products of one LeNet-300-100 training step at batch 128 (weights in DL4J's
 * column-major layout), each timed as the median of 7 rounds of 500 calls, two ways: through
 * {@code Nd4j.gemm} with ND4J's op threads at one (oneDNN takes the forward and input-gradient
 * products, OpenBLAS the weight gradient), and straight into the OpenBLAS that ND4J links, on
 * OpenBLAS's own threads, as the dense fast step calls them. engine/bench/matmul_torch.py times the
 * same products in PyTorch.
 *
 * <p>Run: {@code java -XX:+UseSerialGC -cp "engine/target/keiryo-engine.jar:engine/target/lib/*"
 * engine/bench/Matmul.java}
 */
public class Matmul {
    private static final int B = 128;
    private static final int[][] LAYERS = {{784, 300}, {300, 100}, {100, 10}};

    public static void main(String[] args) {
        NativeSetup.initialize();
        try (OpThreads.Scope one = OpThreads.limitOpenMp(1)) {
            System.out.println("# Nd4j.gemm, op threads 1");
            double nd4j = 0;
            for (int[] l : LAYERS) {
                Arrays a = new Arrays(l);
                nd4j += report("forward", l, time(() -> Nd4j.gemm(a.x, a.w, a.z, false, false, 1.0, 0.0)));
                nd4j += report("weight gradient", l, time(() -> Nd4j.gemm(a.x, a.z, a.gw, true, false, 1.0, 0.0)));
                if (l[0] != 784) {
                    nd4j += report("input gradient", l, time(() -> Nd4j.gemm(a.z, a.w, a.dx, false, true, 1.0, 0.0)));
                }
            }
            System.out.printf(Locale.ROOT, "RESULT {\"impl\":\"nd4j\",\"stepMicros\":%.1f}%n", nd4j);
            System.out.println("# cblas_sgemm, OpenBLAS threads " + org.bytedeco.openblas.global.openblas_nolapack.blas_get_num_threads());
            double blas = 0;
            for (int[] l : LAYERS) {
                Arrays a = new Arrays(l);
                int i = l[0];
                int o = l[1];
                FloatPointer x = ptr(a.x), w = ptr(a.w), z = ptr(a.z), gw = ptr(a.gw), dx = ptr(a.dx);
                blas += report("forward", l, time(() -> cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasTrans, B, o, i, 1f, x, i, w, i, 0f, z, o)));
                blas += report("weight gradient", l, time(() -> cblas_sgemm(
                        CblasRowMajor, CblasTrans, CblasNoTrans, o, i, B, 1f, z, o, x, i, 0f, gw, i)));
                if (i != 784) {
                    blas += report("input gradient", l, time(() -> cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasNoTrans, B, i, o, 1f, z, o, w, i, 0f, dx, i)));
                }
            }
            System.out.printf(Locale.ROOT, "RESULT {\"impl\":\"openblas-direct\",\"stepMicros\":%.1f}%n", blas);
        }
    }

    /** One layer's operands: input, column-major weights, output, weight gradient, input gradient. */
    private static final class Arrays {
        final INDArray x, w, z, gw, dx;

        Arrays(int[] l) {
            x = Nd4j.rand(DataType.FLOAT, B, l[0]);
            w = Nd4j.rand(DataType.FLOAT, l[0], l[1]).dup('f');
            z = Nd4j.create(DataType.FLOAT, B, l[1]);
            gw = Nd4j.create(DataType.FLOAT, new long[] {l[0], l[1]}, 'f');
            dx = Nd4j.create(DataType.FLOAT, B, l[0]);
        }
    }

    private static FloatPointer ptr(INDArray a) {
        return new FloatPointer(a.data().addressPointer());
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
        double flops = 2.0 * B * l[0] * l[1];
        System.out.printf(Locale.ROOT, "%-16s %4d x %3d  %8.1f us  %6.1f GFLOP/s%n", what, l[0], l[1], micros, flops / micros / 1e3);
        return micros;
    }
}
