package dev.keiryo.engine.compress.prune.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgpScheduleTest {

    @Test
    void followsTheCubicFromStartToEnd() {
        AgpSchedule s = new AgpSchedule(0.1, 0.9, 100, 5, 10);
        assertEquals(0.1, s.sparsityAt(100), 1e-12);
        // halfway: 0.9 + (0.1 - 0.9) * 0.5^3
        assertEquals(0.8, s.sparsityAt(125), 1e-12);
        assertEquals(0.9 - 0.8 * Math.pow(1 - 0.2, 3), s.sparsityAt(110), 1e-12);
        assertEquals(0.9, s.sparsityAt(150), 1e-12);
    }

    @Test
    void isClampedOutsideItsWindow() {
        AgpSchedule s = new AgpSchedule(0.1, 0.9, 100, 5, 10);
        assertEquals(0.1, s.sparsityAt(0), 0.0);
        assertEquals(0.9, s.sparsityAt(151), 0.0);
        assertEquals(0.9, s.sparsityAt(Long.MAX_VALUE / 2), 0.0);
    }

    @Test
    void isMonotoneNonDecreasing() {
        AgpSchedule s = new AgpSchedule(0.0, 0.95, 3, 7, 4);
        double prev = -1;
        for (long t = 0; t < 60; t++) {
            double v = s.sparsityAt(t);
            assertTrue(v >= prev, "dropped at step " + t);
            prev = v;
        }
    }

    @Test
    void listsOneTargetPerPruningStepEndingAtTheFinalSparsity() {
        AgpSchedule s = AgpSchedule.of(0.8, 4);
        List<Double> t = s.targets();
        assertEquals(4, t.size());
        assertEquals(0.8 - 0.8 * Math.pow(0.75, 3), t.get(0), 1e-12);
        assertEquals(0.7, t.get(1), 1e-12);
        assertEquals(0.8, t.get(3), 1e-12);
        for (int i = 1; i < t.size(); i++) {
            assertTrue(t.get(i) >= t.get(i - 1));
        }
        assertEquals(4, s.stepAt(4));
    }

    @Test
    void aLayerWithItsOwnTargetFollowsTheSameCurve() {
        AgpSchedule s = new AgpSchedule(0.2, 0.8, 0, 4, 1);
        assertEquals(0.5, s.sparsityAt(4, 0.5), 1e-12);
        assertEquals(0.5 + (0.2 - 0.5) * 0.125, s.sparsityAt(2, 0.5), 1e-12);
        // a target below the initial sparsity starts from the target itself
        assertEquals(0.1, s.sparsityAt(0, 0.1), 1e-12);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(KeiryoException.class, () -> new AgpSchedule(0.5, 0.4, 0, 3, 1));
        assertThrows(KeiryoException.class, () -> new AgpSchedule(0, 1.0, 0, 3, 1));
        assertThrows(KeiryoException.class, () -> new AgpSchedule(-0.1, 0.5, 0, 3, 1));
        assertThrows(KeiryoException.class, () -> new AgpSchedule(0, 0.5, 0, 0, 1));
        assertThrows(KeiryoException.class, () -> new AgpSchedule(0, 0.5, 0, 3, 0));
        KeiryoException e = assertThrows(KeiryoException.class, () -> new AgpSchedule(0, 0.5, -1, 3, 1));
        assertTrue(e.getMessage().contains("start"), e.getMessage());
    }
}
