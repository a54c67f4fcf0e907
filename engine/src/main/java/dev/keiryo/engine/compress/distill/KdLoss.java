package dev.keiryo.engine.compress.distill;

import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Hinton et al.'s distillation loss on packed labels {@code [one-hot y | teacher logits t]} (width
 * 2K for K outputs), computed from the student's logits z (the output layer's pre-activation):
 *
 * <pre>
 *   L = (1 - alpha) * CE(y, softmax(z)) + alpha * T^2 * KL(softmax(t/T) || softmax(z/T))
 *   dL/dz = (1 - alpha) * (p - y) + alpha * T * (p_T - q_T)
 * </pre>
 *
 * alpha weighs the soft (teacher) term; T^2 keeps its gradient's scale independent of T. The
 * teacher's logits rather than its probabilities are packed so that T is applied here, exactly, and
 * can change without recomputing the cache. The activation passed in by DL4J (softmax) is ignored:
 * the loss owns the softmax. Jackson serializes it into the network configuration, hence the
 * no-argument constructor and the setters.
 */
public final class KdLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;

    private double temperature = 4;
    private double alpha = 0.9;

    public KdLoss() {}

    public KdLoss(double temperature, double alpha) {
        this.temperature = temperature;
        this.alpha = alpha;
    }

    public double getTemperature() {
        return temperature;
    }

    public void setTemperature(double temperature) {
        this.temperature = temperature;
    }

    public double getAlpha() {
        return alpha;
    }

    public void setAlpha(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        long k = preOutput.size(1);
        check(labels, k);
        INDArray y = labels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k));
        INDArray t = labels.get(NDArrayIndex.all(), NDArrayIndex.interval(k, 2 * k));
        INDArray hard = logSoftmax(preOutput).muli(y).sum(true, 1).negi();
        INDArray logQ = logSoftmax(t.div(temperature));
        INDArray logPT = logSoftmax(preOutput.div(temperature));
        INDArray soft = Transforms.exp(logQ, true).muli(logQ.sub(logPT)).sum(true, 1);
        INDArray score = hard.muli(1 - alpha).addi(soft.muli(alpha * temperature * temperature));
        return mask == null
                ? score
                : score.muliColumnVector(mask.reshape(mask.length(), 1).castTo(score.dataType()));
    }

    @Override
    public double computeScore(
            INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask)
                .sumNumber()
                .doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        long k = preOutput.size(1);
        check(labels, k);
        INDArray y = labels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k));
        INDArray t = labels.get(NDArrayIndex.all(), NDArrayIndex.interval(k, 2 * k));
        INDArray p = Transforms.exp(logSoftmax(preOutput), false);
        INDArray pT = Transforms.exp(logSoftmax(preOutput.div(temperature)), false);
        INDArray qT = Transforms.exp(logSoftmax(t.div(temperature)), false);
        INDArray grad = p.subi(y).muli(1 - alpha).addi(pT.subi(qT).muli(alpha * temperature));
        return mask == null
                ? grad
                : grad.muliColumnVector(mask.reshape(mask.length(), 1).castTo(grad.dataType()));
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(
            INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(
                computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return toString();
    }

    /** log(softmax(x)) per row, shifted by the row maximum so that large logits do not overflow. */
    static INDArray logSoftmax(INDArray x) {
        INDArray shifted = x.subColumnVector(x.max(true, 1));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(logSum);
    }

    private static void check(INDArray labels, long k) {
        if (labels.size(1) != 2 * k) {
            throw new IllegalStateException("distillation labels must be [one-hot | teacher logits], " + 2 * k
                    + " columns for " + k + " outputs, but have " + labels.size(1));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KdLoss l && l.temperature == temperature && l.alpha == alpha;
    }

    @Override
    public int hashCode() {
        return Objects.hash(temperature, alpha);
    }

    @Override
    public String toString() {
        return "KdLoss(T=" + temperature + ", alpha=" + alpha + ")";
    }
}
