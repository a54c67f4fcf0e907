package dev.keiryo.engine.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keiryo.engine.api.run.EvalResult;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    @Test
    void accuracyAndPerClassComeFromTheConfusionMatrix() {
        long[][] confusion = {{8, 2, 0}, {1, 9, 0}, {0, 5, 5}};
        EvalResult r = Evaluator.summarize(confusion, 30, 15.0);
        assertEquals(22.0 / 30, r.accuracy(), 1e-12);
        assertEquals(0.5, r.loss(), 1e-12);
        assertArrayEquals(new double[] {0.8, 0.9, 0.5}, r.perClassAccuracy(), 1e-12);
    }

    @Test
    void percentilesInterpolateBetweenSortedSamples() {
        long[] sorted = {10, 20, 30, 40, 50};
        assertEquals(30, Latency.percentile(sorted, 0.5), 1e-9);
        assertEquals(48, Latency.percentile(sorted, 0.95), 1e-9);
    }
}
