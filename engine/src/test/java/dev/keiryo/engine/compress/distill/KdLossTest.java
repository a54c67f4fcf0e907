package dev.keiryo.engine.compress.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** The KD loss's analytic gradient against central finite differences of its own score, in double precision. */
class KdLossTest {
    private static final int N = 5;
    private static final int K = 4;

    @ParameterizedTest
    @CsvSource({"1, 0.5", "4, 0.9", "20, 0.7", "2, 0", "3, 1"})
    void gradientMatchesFiniteDifferences(double temperature, double alpha) {
        Nd4j.getRandom().setSeed(7);
        INDArray z = Nd4j.randn(DataType.DOUBLE, N, K).muli(3);
        INDArray labels = packed(Nd4j.randn(DataType.DOUBLE, N, K).muli(4));
        KdLoss loss = new KdLoss(temperature, alpha);
        INDArray analytic = loss.computeGradient(labels, z, new ActivationSoftmax(), null);
        double eps = 1e-6;
        double maxRel = 0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < K; j++) {
                double orig = z.getDouble(i, j);
                z.putScalar(i, j, orig + eps);
                double up = loss.computeScore(labels, z, null, null, false);
                z.putScalar(i, j, orig - eps);
                double down = loss.computeScore(labels, z, null, null, false);
                z.putScalar(i, j, orig);
                double numeric = (up - down) / (2 * eps);
                double a = analytic.getDouble(i, j);
                maxRel = Math.max(maxRel, Math.abs(a - numeric) / Math.max(1e-3, Math.abs(a) + Math.abs(numeric)));
            }
        }
        assertTrue(
                maxRel < 1e-5, "max relative gradient error " + maxRel + " at T=" + temperature + ", alpha=" + alpha);
    }

    @Test
    void alphaZeroIsPlainCrossEntropy() {
        Nd4j.getRandom().setSeed(3);
        INDArray z = Nd4j.randn(DataType.DOUBLE, N, K);
        INDArray labels = packed(Nd4j.randn(DataType.DOUBLE, N, K));
        INDArray y = labels.get(
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, K));
        LossMCXENT ce = new LossMCXENT();
        KdLoss kd = new KdLoss(5, 0);
        assertEquals(
                ce.computeScore(y, z.dup(), new ActivationSoftmax(), null, true),
                kd.computeScore(labels, z, null, null, true),
                1e-9);
        INDArray g1 = ce.computeGradient(y, z.dup(), new ActivationSoftmax(), null);
        INDArray g2 = kd.computeGradient(labels, z, null, null);
        assertTrue(g1.equalsWithEps(g2, 1e-9), g1 + " vs " + g2);
    }

    @Test
    void softTermIsZeroWhenTheStudentMatchesTheTeacherAndScalesWithTSquared() {
        INDArray t = Nd4j.createFromArray(new double[][] {{2, -1, 0.5, 0}, {0, 0, 3, -2}});
        INDArray labels = Nd4j.hstack(Nd4j.zeros(DataType.DOUBLE, 2, K), t);
        assertEquals(0, new KdLoss(4, 1).computeScore(labels, t.dup(), null, null, false), 1e-12);
        // The soft gradient at a fixed mismatch grows like T (T^2 times the 1/T of the softened softmax)
        // while the softened distributions flatten; at large T it tends to (z - t) / K per example.
        INDArray z = t.add(Nd4j.createFromArray(new double[][] {{0.2, 0, 0, 0}, {0, 0, 0, 0}}));
        double g = new KdLoss(1000, 1).computeGradient(labels, z, null, null).getDouble(0, 0);
        double expected = (0.2 - 0.2 / K) / K;
        assertEquals(
                expected,
                g,
                1e-3,
                "Hinton et al.: at high T the soft term matches logits, as (z - t)/K after centering");
    }

    private static INDArray packed(INDArray teacherLogits) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, teacherLogits.size(0), K);
        for (int i = 0; i < y.size(0); i++) {
            y.putScalar(i, (i * 3) % K, 1.0);
        }
        return Nd4j.hstack(y, teacherLogits);
    }
}
