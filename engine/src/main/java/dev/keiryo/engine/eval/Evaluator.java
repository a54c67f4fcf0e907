package dev.keiryo.engine.eval;

import dev.keiryo.engine.api.run.EvalResult;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Evaluates a classifier with softmax output on a labelled iterator (one-hot labels). Only the
 * first K label columns are read, so a batch whose labels carry packed extras after the one-hot
 * part (distillation's teacher logits) is still scored against its true labels.
 */
public final class Evaluator {
    private static final double EPS = 1e-12;

    private Evaluator() {}

    public static EvalResult evaluate(ComputationGraph net, DataSetIterator data) {
        int k = data.totalOutcomes();
        long[][] confusion = new long[k][k];
        double lossSum = 0;
        long n = 0;
        data.reset();
        while (data.hasNext()) {
            DataSet ds = data.next();
            INDArray probs = Inference.output(net, ds.getFeatures()).castTo(DataType.DOUBLE);
            INDArray labels = trueLabels(ds.getLabels(), probs.size(1)).castTo(DataType.DOUBLE);
            long[] predicted = probs.argMax(1).toLongVector();
            long[] actual = labels.argMax(1).toLongVector();
            double[] p = probs.mul(labels).sum(1).toDoubleVector();
            for (int i = 0; i < predicted.length; i++) {
                confusion[(int) actual[i]][(int) predicted[i]]++;
                lossSum -= Math.log(Math.max(p[i], EPS));
            }
            n += predicted.length;
        }
        return summarize(confusion, n, lossSum);
    }

    private static INDArray trueLabels(INDArray labels, long k) {
        return labels.size(1) == k ? labels : labels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k));
    }

    /** Accuracy, mean loss, per-class accuracy from a confusion matrix ({@code [actual][predicted]}). */
    public static EvalResult summarize(long[][] confusion, long n, double lossSum) {
        int k = confusion.length;
        long correct = 0;
        double[] perClass = new double[k];
        for (int c = 0; c < k; c++) {
            long total = 0;
            for (int j = 0; j < k; j++) {
                total += confusion[c][j];
            }
            correct += confusion[c][c];
            perClass[c] = total == 0 ? Double.NaN : (double) confusion[c][c] / total;
        }
        return new EvalResult(
                n, n == 0 ? Double.NaN : (double) correct / n, n == 0 ? Double.NaN : lossSum / n, perClass, confusion);
    }
}
