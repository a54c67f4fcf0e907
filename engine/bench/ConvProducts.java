import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.blas_set_num_threads;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import dev.keiryo.engine.backend.NativeSetup;
import java.util.Locale;
import org.bytedeco.javacpp.FloatPointer;

/**
 * The convolution products of one LeNet-5 training step as the convolution fast path calls them:
 * per chunk of 8 examples, OpenBLAS on one thread (each core runs its own), each product in two
 * orientations, the one the path uses first. Per product the median of 7 rounds of 100 calls, and
 * what the products of one core's half of a batch of 128 (8 chunks) add up to.
 *
 * <p>Run: {@code java -XX:+UseSerialGC -cp "engine/target/keiryo-engine.jar:engine/target/lib/*"
 * engine/bench/ConvProducts.java}
 */
public class ConvProducts {
    private static final int CHUNK = 8;
    private static final int CHUNKS_PER_CORE = 64 / CHUNK;

    public static void main(String[] args) {
        NativeSetup.initialize();
        blas_set_num_threads(1);
        double used = 0;
        // conv1: 1 -> 20 channels, 5x5, 24x24 outputs; conv2: 20 -> 50, 5x5, 8x8 outputs
        for (int[] conv : new int[][] {{20, 25, 576, 0}, {50, 500, 64, 1}}) {
            int cout = conv[0];
            int k = conv[1];
            int np = CHUNK * conv[2];
            boolean inputGradient = conv[3] == 1;
            System.out.printf(Locale.ROOT, "# conv %d -> %d channels, %d positions per chunk%n", k / 25, cout, np);
            used += time("forward, positions x cout (TT)", CblasTrans, CblasTrans, np, cout, k);
            time("forward, cout x positions (NN)", CblasNoTrans, CblasNoTrans, cout, np, k);
            used += time("weight gradient, k x cout (NT)", CblasNoTrans, CblasTrans, k, cout, np);
            time("weight gradient, cout x k (NT)", CblasNoTrans, CblasTrans, cout, k, np);
            if (inputGradient) {
                used += time("input gradient, k x positions (TN)", CblasTrans, CblasNoTrans, k, np, cout);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "RESULT {\"chunkExamples\":%d,\"productsPerCoreMillis\":%.2f}%n",
                CHUNK,
                used * CHUNKS_PER_CORE / 1e3);
    }

    /** Times {@code C[m x n] = op(A) op(B)} with the inner dimension {@code k}; returns microseconds. */
    private static double time(String what, int ta, int tb, int m, int n, int k) {
        FloatPointer a = random((long) m * k);
        FloatPointer b = random((long) k * n);
        FloatPointer c = new FloatPointer((long) m * n);
        int lda = ta == CblasTrans ? m : k;
        int ldb = tb == CblasTrans ? k : n;
        Runnable call = () -> cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
        for (int i = 0; i < 50; i++) {
            call.run();
        }
        double[] rounds = new double[7];
        for (int r = 0; r < rounds.length; r++) {
            long s = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                call.run();
            }
            rounds[r] = (System.nanoTime() - s) / 1e3 / 100;
        }
        java.util.Arrays.sort(rounds);
        double micros = rounds[rounds.length / 2];
        System.out.printf(
                Locale.ROOT,
                "%-36s %5d x %4d x %4d  %7.1f us  %5.1f GFLOP/s%n",
                what,
                m,
                n,
                k,
                micros,
                2.0 * m * n * k / micros / 1e3);
        return micros;
    }

    private static FloatPointer random(long n) {
        FloatPointer p = new FloatPointer(n);
        java.util.Random r = new java.util.Random(1);
        for (long i = 0; i < n; i++) {
            p.put(i, r.nextFloat());
        }
        return p;
    }
}
