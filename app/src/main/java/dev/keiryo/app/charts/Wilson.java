package dev.keiryo.app.charts;

/**
 * The 95% Wilson score interval of an accuracy measured on n examples: how far the true accuracy
 * may be from a preview's. Unlike the normal approximation it stays inside [0, 1] and is sensible
 * near 0% and 100% and for small n, where previews often are.
 */
public record Wilson(double low, double high) {
    private static final double Z = 1.959963984540054;

    /** The interval of {@code accuracy} measured on {@code n} examples; [0, 1] when n is 0. */
    public static Wilson of(double accuracy, int n) {
        if (n <= 0 || Double.isNaN(accuracy)) {
            return new Wilson(0, 1);
        }
        double p = Math.max(0, Math.min(1, accuracy));
        double z2 = Z * Z;
        double centre = (p + z2 / (2.0 * n)) / (1 + z2 / n);
        double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new Wilson(Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /** "accuracy 71.40% (95% interval 67.3-75.2%, 500 validation examples)": a preview's accuracy as a reader should take it. */
    public static String describe(double accuracy, int n) {
        Wilson w = of(accuracy, n);
        return String.format(
                java.util.Locale.ROOT,
                "accuracy %.2f%% (95%% interval %.1f-%.1f%%, %,d validation examples)",
                100 * accuracy,
                100 * w.low(),
                100 * w.high(),
                n);
    }
}
