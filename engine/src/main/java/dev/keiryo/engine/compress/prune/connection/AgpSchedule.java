package dev.keiryo.engine.compress.prune.connection;

import dev.keiryo.engine.api.KeiryoException;
import java.util.ArrayList;
import java.util.List;

/**
 * Automated gradual pruning (Zhu and Gupta 2017, "To prune, or not to prune"): sparsity rises from
 * {@code initialSparsity} to {@code finalSparsity} over {@code steps} pruning steps, {@code frequency}
 * training steps apart, starting at step {@code start}:
 * s(t) = s_f + (s_i - s_f) * (1 - (t - t0) / (n * dt))^3, clamped to s_i before t0 and s_f after
 * t0 + n * dt. The cube prunes fast while many redundant weights remain and slowly near the end,
 * leaving fine-tuning time to recover.
 */
public record AgpSchedule(double initialSparsity, double finalSparsity, long start, int steps, long frequency) {

    public AgpSchedule {
        if (!(initialSparsity >= 0 && initialSparsity < 1) || !(finalSparsity >= 0 && finalSparsity < 1)) {
            throw new KeiryoException("AGP sparsities must be in [0, 1) (initial " + initialSparsity + ", final "
                    + finalSparsity + "); use e.g. initial 0 and final 0.9.");
        }
        if (initialSparsity > finalSparsity) {
            throw new KeiryoException("AGP initial sparsity " + initialSparsity + " is above the final sparsity "
                    + finalSparsity + "; sparsity only grows, so make the final one larger.");
        }
        if (steps < 1) {
            throw new KeiryoException("AGP needs at least 1 pruning step (was " + steps + "); use e.g. 5.");
        }
        if (frequency < 1) {
            throw new KeiryoException("AGP step frequency must be at least 1 (was " + frequency + "); it is the number"
                    + " of training steps between pruning steps.");
        }
        if (start < 0) {
            throw new KeiryoException("AGP start step must be >= 0 (was " + start + ").");
        }
    }

    /** From no sparsity to {@code finalSparsity} in {@code steps} steps numbered 1..steps (start 0, frequency 1). */
    public static AgpSchedule of(double finalSparsity, int steps) {
        return new AgpSchedule(0, finalSparsity, 0, steps, 1);
    }

    /** The target sparsity at training step {@code t}. */
    public double sparsityAt(long t) {
        return sparsityAt(t, finalSparsity);
    }

    /**
     * The same curve towards another final sparsity (for a layer with its own target): starts at
     * the smaller of {@code initialSparsity} and {@code target}, ends at {@code target}.
     */
    public double sparsityAt(long t, double target) {
        double from = Math.min(initialSparsity, target);
        double rest = 1.0 - progress(t);
        // Exact ends, so callers can compare with the configured sparsities.
        if (rest == 1.0) {
            return from;
        }
        return rest == 0.0 ? target : target + (from - target) * rest * rest * rest;
    }

    /** The training step of pruning step {@code k} (1..steps). */
    public long stepAt(int k) {
        return start + k * frequency;
    }

    /** The targets of the pruning steps 1..steps; the last is {@code finalSparsity}. */
    public List<Double> targets() {
        List<Double> out = new ArrayList<>(steps);
        for (int k = 1; k <= steps; k++) {
            out.add(sparsityAt(stepAt(k)));
        }
        return List.copyOf(out);
    }

    private double progress(long t) {
        if (t <= start) {
            return 0;
        }
        return Math.min(1.0, (t - start) / ((double) steps * frequency));
    }
}
