package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One parameter tensor, encoded: picks the codec (the smallest exact one, or the forced one) and
 * measures what reading it back will give, so the report states exactness instead of assuming it.
 * "Exact" means bit for bit except for the sign of zeros, which sparse encodings drop.
 */
record EncodedTensor(
        int layer, String key, long[] shape, DataType dataType, TensorCodec codec, byte[] payload, TensorRow row) {

    /** Table entry bytes before the payload: layer, key, dtype, rank, dims, tag, payload length. */
    static long entryOverhead(String key, int rank) {
        return 2 + 2 + key.getBytes(StandardCharsets.UTF_8).length + 1 + 1 + 8L * rank + 2 + 8;
    }

    static EncodedTensor of(int layer, String key, INDArray param, EncodingChoice choice) {
        return of(layer, key, param, choice.candidates(), choice == EncodingChoice.AUTO);
    }

    /** @param exactOnly keep only candidates that decode to the float32 values bit for bit */
    static EncodedTensor of(int layer, String key, INDArray param, List<TensorCodec> candidates, boolean exactOnly) {
        long[] shape = param.shape();
        DataType type = param.dataType();
        PackFormat.dtypeCode(type); // fails early for types the format cannot name
        INDArray flat = Nd4j.toFlattened('c', param).reshape(param.length());
        float[] values = flat.castTo(DataType.FLOAT).toFloatVector();
        double[] original = type == DataType.DOUBLE ? flat.toDoubleVector() : null;

        TensorCodec best = null;
        byte[] bestPayload = null;
        float[] bestDecoded = null;
        for (TensorCodec c : candidates) {
            byte[] p = c.encode(values, shape);
            if (bestPayload != null && p.length >= bestPayload.length) {
                continue;
            }
            float[] decoded = c.decode(ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN), shape);
            // Under auto, a candidate must give back the float32 values exactly; forced ones are taken as they are.
            if (exactOnly && !same(values, decoded)) {
                continue;
            }
            best = c;
            bestPayload = p;
            bestDecoded = decoded;
        }
        if (best == null) {
            throw new IllegalStateException("no exact encoding for " + layer + "_" + key + "; dense-f32 always is");
        }
        double err = original != null ? maxError(original, bestDecoded) : maxError(values, bestDecoded);
        boolean exact = original != null ? same(original, bestDecoded) : same(values, bestDecoded);
        long nonZeros = original != null ? countNonZero(original) : countNonZero(values);
        String detail = best.describe(ByteBuffer.wrap(bestPayload).order(ByteOrder.LITTLE_ENDIAN));
        TensorRow row = new TensorRow(
                key,
                shape,
                type.name().toLowerCase(Locale.ROOT),
                best.id(),
                detail,
                bestPayload.length,
                entryOverhead(key, shape.length) + bestPayload.length,
                nonZeros,
                exact,
                err);
        return new EncodedTensor(layer, key, shape, type, best, bestPayload, row);
    }

    /** Bit for bit, except that a zero's sign does not count (see {@link Payloads#stored}). */
    private static boolean same(float[] a, float[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!Payloads.same(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(double[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i]) && !(a[i] == 0 && b[i] == 0)) {
                return false;
            }
        }
        return true;
    }

    private static double maxError(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    private static double maxError(double[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static long countNonZero(float[] v) {
        long n = 0;
        for (float x : v) {
            n += x != 0 ? 1 : 0;
        }
        return n;
    }

    private static long countNonZero(double[] v) {
        long n = 0;
        for (double x : v) {
            n += x != 0 ? 1 : 0;
        }
        return n;
    }
}
