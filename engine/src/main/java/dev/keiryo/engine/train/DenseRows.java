package dev.keiryo.engine.train;

import dev.keiryo.engine.train.DenseChainForward.Act;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The dense layers' forward and backward pass for rows {@code from..to} of a minibatch, with one
 * thread's buffers: {@link DenseChainStep} runs one over the whole minibatch, or one per core when
 * convolutions in front split the minibatch. The weight gradients go into the network's own
 * gradient arrays or, for every part but the first, into this part's own arrays, which the step
 * then adds up; bias gradients are left as sums in {@link #biasSums}.
 */
final class DenseRows {
    private final int from;
    private final int to;
    private final int layers;
    private final int[] widths;
    private final Act[] acts;
    private final double clipEps;
    /** Per layer, the rows of the minibatch's outputs and deltas (views of the step's arrays). */
    private final INDArray[] outs;

    private final INDArray[] deltas;
    private final INDArray[] weightGrads;
    private final float[][] acts32;
    private final float[][] biasSums;
    private final float[] labels;
    private float[] bias = new float[0];
    private float[] scratch = new float[0];

    /**
     * @param outs the step's outputs per layer, {@code n x width}, row-major
     * @param deltas the step's deltas per layer, alike
     * @param weightGrads where this part's weight gradients go, per layer; null for arrays of its own
     */
    DenseRows(
            int from,
            int to,
            int[] widths,
            Act[] acts,
            double clipEps,
            INDArray[] outs,
            INDArray[] deltas,
            INDArray[] weightGrads) {
        this.from = from;
        this.to = to;
        this.layers = acts.length;
        this.widths = widths;
        this.acts = acts;
        this.clipEps = clipEps;
        this.outs = new INDArray[layers];
        this.deltas = new INDArray[layers];
        this.acts32 = new float[layers][];
        this.biasSums = new float[layers][];
        this.weightGrads = new INDArray[layers];
        int n = to - from;
        for (int l = 0; l < layers; l++) {
            this.outs[l] = rows(outs[l]);
            this.deltas[l] = rows(deltas[l]);
            acts32[l] = new float[n * widths[l + 1]];
            biasSums[l] = new float[widths[l + 1]];
            this.weightGrads[l] = weightGrads != null
                    ? weightGrads[l]
                    : Nd4j.create(DataType.FLOAT, new long[] {widths[l], widths[l + 1]}, 'f');
        }
        labels = new float[n * widths[layers]];
    }

    /** This part's rows of {@code a}, a view. */
    INDArray rows(INDArray a) {
        return from == 0 && to == a.rows() ? a : a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    /** The weight gradients this part computed, per layer. */
    INDArray[] weightGradients() {
        return weightGrads;
    }

    /** The bias gradients this part computed, per layer: column sums of its deltas. */
    float[][] biasSums() {
        return biasSums;
    }

    /**
     * The forward and backward pass of these rows: {@code x} and {@code y} are their inputs and
     * one-hot labels (row-major, {@code y} one contiguous block); {@code inputGradient}, when not
     * null, receives the gradient with respect to {@code x}. Returns the summed cross-entropy of
     * the rows.
     */
    double forwardBackward(INDArray x, INDArray y, INDArray[] weights, INDArray[] biases, INDArray inputGradient) {
        int n = to - from;
        INDArray in = x;
        for (int l = 0; l < layers; l++) {
            DenseProducts.forward(in, weights[l], outs[l]);
            activate(l, n, biases[l]);
            in = outs[l];
        }
        double loss = lossAndDelta(y, n);
        for (int l = layers - 1; l >= 0; l--) {
            DenseProducts.weightGradient(l == 0 ? x : outs[l - 1], deltas[l], weightGrads[l]);
            biasSum(l, n);
            if (l > 0) {
                DenseProducts.inputGradient(deltas[l], weights[l], deltas[l - 1]);
                derivative(l - 1, n);
            } else if (inputGradient != null) {
                DenseProducts.inputGradient(deltas[0], weights[0], inputGradient);
            }
        }
        return loss;
    }

    /** Adds the bias to layer {@code l}'s product and applies its activation (softmax for the last). */
    private void activate(int l, int n, INDArray b) {
        int w = widths[l + 1];
        float[] a = acts32[l];
        FusedAdam.pointer(outs[l]).get(a, 0, n * w);
        if (bias.length < w) {
            bias = new float[w];
        }
        FusedAdam.pointer(b).get(bias, 0, w);
        boolean last = l == layers - 1;
        DenseChainForward.biasAndActivate(a, n, w, bias, acts[l], last);
        if (!last) {
            FusedAdam.pointer(outs[l]).put(a, 0, n * w);
        }
    }

    /**
     * Cross-entropy of the softmax output against {@code y} (summed over the rows, probabilities
     * clipped as DL4J's loss clips them) and its gradient with respect to the logits, p - y,
     * unscaled: the updater divides by the minibatch size, as it does for DL4J's own gradients.
     */
    private double lossAndDelta(INDArray y, int n) {
        int l = layers - 1;
        int w = widths[layers];
        float[] p = acts32[l];
        FusedAdam.pointer(y).get(labels, 0, n * w);
        double sum = 0;
        float lo = (float) clipEps;
        float hi = (float) (1.0 - clipEps);
        for (int i = 0; i < n * w; i++) {
            float yi = labels[i];
            float pi = clipEps > 0 ? Math.min(Math.max(p[i], lo), hi) : p[i];
            if (yi != 0f) {
                sum += yi * Math.log(pi);
            }
            p[i] = pi - yi;
        }
        FusedAdam.pointer(deltas[l]).put(p, 0, n * w);
        return -sum;
    }

    /** Column sums of layer {@code l}'s delta, which is still in {@code acts32[l]}. */
    private void biasSum(int l, int n) {
        int w = widths[l + 1];
        float[] d = acts32[l];
        float[] sums = biasSums[l];
        Arrays.fill(sums, 0f);
        for (int r = 0; r < n; r++) {
            int o = r * w;
            for (int c = 0; c < w; c++) {
                sums[c] += d[o + c];
            }
        }
    }

    /**
     * Turns the gradient with respect to layer {@code l}'s activation (in {@code deltas[l]}) into
     * the one with respect to its pre-activation, using the activation kept in {@code acts32[l]};
     * leaves the result in both.
     */
    private void derivative(int l, int n) {
        int size = n * widths[l + 1];
        float[] a = acts32[l];
        if (scratch.length < size) {
            scratch = new float[size];
        }
        float[] d = scratch;
        FusedAdam.pointer(deltas[l]).get(d, 0, size);
        switch (acts[l]) {
            case RELU -> {
                for (int i = 0; i < size; i++) {
                    a[i] = a[i] > 0f ? d[i] : 0f;
                }
            }
            case TANH -> {
                for (int i = 0; i < size; i++) {
                    a[i] = d[i] * (1f - a[i] * a[i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < size; i++) {
                    a[i] = d[i] * a[i] * (1f - a[i]);
                }
            }
            case IDENTITY -> System.arraycopy(d, 0, a, 0, size);
        }
        FusedAdam.pointer(deltas[l]).put(a, 0, size);
    }
}
