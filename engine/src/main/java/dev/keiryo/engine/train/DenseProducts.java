package dev.keiryo.engine.train;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The three matrix products of a dense layer's training step, called straight into the OpenBLAS
 * that ND4J itself links. ND4J sends a row-major activation times DL4J's column-major weights
 * through oneDNN, which runs on the OpenMP threads that the fast step keeps at one, and only the
 * weight gradient through OpenBLAS: so the products of LeNet-300-100 ran on one core, 1.65 ms a
 * step at batch 128, where OpenBLAS on both cores takes 0.98 ms (engine/bench/Matmul.java, a 2-core
 * AMD EPYC). Each call also skips ND4J's op set-up, about 9 microseconds, which matters for the
 * small output layer. Arrays in any other layout or type go through {@link Nd4j#gemm}.
 *
 * <p>Weights are DL4J's: {@code in x out}, column-major, which read row-major are {@code W^T}.
 */
final class DenseProducts {
    private DenseProducts() {}

    /** {@code out = in * w}: {@code in} is {@code n x i} row-major, {@code w} is {@code i x o} column-major. */
    static void forward(INDArray in, INDArray w, INDArray out) {
        if (!(rowMajor(in) && columnMajor(w) && rowMajor(out))) {
            Nd4j.gemm(in, w, out, false, false, 1.0, 0.0);
            return;
        }
        int n = in.rows();
        int i = in.columns();
        int o = w.columns();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, o, i, 1f, ptr(in), i, ptr(w), i, 0f, ptr(out), o);
    }

    /** Whether {@link #forwardRows} can take these arrays (the layouts the direct call reads). */
    static boolean direct(INDArray in, INDArray w, INDArray out) {
        return rowMajor(in) && columnMajor(w) && rowMajor(out);
    }

    /** {@link #forward} for rows {@code from..to-1} of {@code in} and {@code out}; arrays as {@link #direct} takes. */
    static void forwardRows(INDArray in, INDArray w, INDArray out, int from, int to) {
        int i = in.columns();
        int o = w.columns();
        cblas_sgemm(
                CblasRowMajor,
                CblasNoTrans,
                CblasTrans,
                to - from,
                o,
                i,
                1f,
                ptr(in).position((long) from * i),
                i,
                ptr(w),
                i,
                0f,
                ptr(out).position((long) from * o),
                o);
    }

    /**
     * {@code gw = in^T * delta}, the weight gradient, column-major like the weights: read row-major
     * it is {@code delta^T * in}.
     */
    static void weightGradient(INDArray in, INDArray delta, INDArray gw) {
        if (!(rowMajor(in) && rowMajor(delta) && columnMajor(gw))) {
            Nd4j.gemm(in, delta, gw, true, false, 1.0, 0.0);
            return;
        }
        int n = in.rows();
        int i = in.columns();
        int o = delta.columns();
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, o, i, n, 1f, ptr(delta), o, ptr(in), i, 0f, ptr(gw), i);
    }

    /** {@code dx = delta * w^T}, the gradient with respect to the layer's input. */
    static void inputGradient(INDArray delta, INDArray w, INDArray dx) {
        if (!(rowMajor(delta) && columnMajor(w) && rowMajor(dx))) {
            Nd4j.gemm(delta, w, dx, false, true, 1.0, 0.0);
            return;
        }
        int n = delta.rows();
        int o = delta.columns();
        int i = w.rows();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, i, o, 1f, ptr(delta), o, ptr(w), i, 0f, ptr(dx), i);
    }

    private static boolean rowMajor(INDArray a) {
        return dense(a) && a.ordering() == 'c';
    }

    private static boolean columnMajor(INDArray a) {
        return dense(a) && a.ordering() == 'f';
    }

    /** A float matrix whose values lie in one block in its ordering's default strides. */
    private static boolean dense(INDArray a) {
        return a.rank() == 2
                && a.dataType() == DataType.FLOAT
                && a.length() > 0
                && a.length() <= Integer.MAX_VALUE
                && Shape.hasDefaultStridesForShape(a);
    }

    /** The matrix's first value (a view's address already includes its offset). */
    private static org.bytedeco.javacpp.FloatPointer ptr(INDArray a) {
        return FusedAdam.pointer(a);
    }
}
