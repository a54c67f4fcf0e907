package dev.keiryo.app.variants;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** The Pareto frontier of accuracy (higher is better) against a cost or a benefit on the x axis. */
public final class Pareto {
    private Pareto() {}

    /**
     * Indices of the points no other point beats on both axes, in order of x.
     *
     * @param lowerXBetter true when x is a cost (file size, bits, latency), false when it is a gain (sparsity)
     */
    public static List<Integer> frontier(double[] x, double[] accuracy, boolean lowerXBetter) {
        Comparator<Integer> byX = Comparator.comparingDouble(i -> lowerXBetter ? x[i] : -x[i]);
        List<Integer> order = IntStream.range(0, x.length)
                .boxed()
                .filter(i -> Double.isFinite(x[i]) && Double.isFinite(accuracy[i]))
                .sorted(byX.thenComparing(Comparator.comparingDouble((Integer i) -> -accuracy[i])))
                .toList();
        List<Integer> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (int i : order) {
            if (accuracy[i] > best) {
                front.add(i);
                best = accuracy[i];
            }
        }
        front.sort(Comparator.comparingDouble(i -> x[i]));
        return front;
    }
}
