package dev.keiryo.engine.api.settings;

/**
 * The numbers a setting accepts, with open or closed ends; infinite ends are unbounded.
 *
 * @param min the lower end, or negative infinity
 * @param minIncluded whether {@code min} itself is accepted
 * @param max the upper end, or positive infinity
 * @param maxIncluded whether {@code max} itself is accepted
 */
public record Range(double min, boolean minIncluded, double max, boolean maxIncluded) {

    /** min <= v <= max. */
    public static Range closed(double min, double max) {
        return new Range(min, true, max, true);
    }

    /** min < v < max. */
    public static Range open(double min, double max) {
        return new Range(min, false, max, false);
    }

    /** min <= v < max. */
    public static Range closedOpen(double min, double max) {
        return new Range(min, true, max, false);
    }

    /** min < v <= max. */
    public static Range openClosed(double min, double max) {
        return new Range(min, false, max, true);
    }

    /** v >= min. */
    public static Range atLeast(double min) {
        return new Range(min, true, Double.POSITIVE_INFINITY, false);
    }

    /** v > min. */
    public static Range above(double min) {
        return new Range(min, false, Double.POSITIVE_INFINITY, false);
    }

    public boolean contains(double v) {
        return (minIncluded ? v >= min : v > min) && (maxIncluded ? v <= max : v < max);
    }

    /** The range as an error sentence gives it: "1..16", ">= 0 and < 1", "> 0". */
    String text(boolean decimal) {
        boolean lower = Double.isFinite(min);
        boolean upper = Double.isFinite(max);
        if (!decimal && lower && upper && minIncluded && maxIncluded) {
            return show(min) + ".." + show(max);
        }
        String lo = lower ? (minIncluded ? ">= " : "> ") + show(min) : null;
        String hi = upper ? (maxIncluded ? "<= " : "< ") + show(max) : null;
        if (lo != null && hi != null) {
            return lo + " and " + hi;
        }
        return lo != null ? lo : hi != null ? hi : "a number";
    }

    private static String show(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
