package dev.keiryo.engine.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns the label column's raw strings into class indices. Non-negative integers are used as the
 * class index directly (so "0..9" keeps its meaning); anything else is treated as class names,
 * sorted so the mapping does not depend on row order, with the names kept for reports.
 */
final class CsvLabels {
    /** The encoded labels plus the class count and names (empty when labels were indices). */
    record Encoded(int[] labels, int numClasses, List<String> classNames) {}

    private CsvLabels() {}

    static Encoded encode(List<String> raw, int[] lines, Path file) {
        int[] direct = asClassIndices(raw);
        if (direct != null) {
            int max = 0;
            for (int v : direct) {
                max = Math.max(max, v);
            }
            return new Encoded(direct, max + 1, List.of());
        }
        List<String> names = sortedDistinct(raw);
        return new Encoded(indexBy(names, raw, lines, file), names.size(), names);
    }

    /**
     * Encodes a second file (a test set) with the classes of the first so that index k means the
     * same class in both.
     */
    static Encoded encodeLike(List<String> raw, int[] lines, Path file, Dataset reference) {
        if (!reference.classNames().isEmpty()) {
            return new Encoded(
                    indexBy(reference.classNames(), raw, lines, file), reference.numClasses(), reference.classNames());
        }
        int[] out = new int[raw.size()];
        for (int i = 0; i < out.length; i++) {
            Integer v = parseIndex(raw.get(i));
            if (v == null || v >= reference.numClasses()) {
                throw new DataFormatException(file + ", line " + lines[i] + ": label '" + raw.get(i)
                        + "' is not a class of the training data (0.." + (reference.numClasses() - 1)
                        + "); use the same labels in both files.");
            }
            out[i] = v;
        }
        return new Encoded(out, reference.numClasses(), List.of());
    }

    /**
     * True for a number with a fractional part, such as 1.5: such a column holds measurements or
     * regression targets, and taking each distinct value as a class would silently train a
     * classifier on nonsense. Whole numbers written as 1.0 or -1 stay valid class names.
     */
    static boolean isFraction(String s) {
        if (CsvSyntax.parseNumber(s) == null) {
            return false;
        }
        // Parsed as a double: a float would round 2.00000001 to 2 and let it through.
        double v = Double.parseDouble(s);
        return Double.isFinite(v) && v != Math.rint(v);
    }

    private static int[] asClassIndices(List<String> raw) {
        int[] out = new int[raw.size()];
        for (int i = 0; i < out.length; i++) {
            Integer v = parseIndex(raw.get(i));
            if (v == null) {
                return null;
            }
            out[i] = v;
        }
        return out;
    }

    private static Integer parseIndex(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        return Integer.parseInt(s);
    }

    /** Numeric labels such as -1/1 sort by value, others alphabetically. */
    private static List<String> sortedDistinct(List<String> raw) {
        boolean numeric = raw.stream()
                .allMatch(s -> CsvSyntax.parseNumber(s) != null && Float.isFinite(CsvSyntax.parseNumber(s)));
        Comparator<String> order = numeric
                ? Comparator.comparingDouble(Double::parseDouble).thenComparing(Comparator.<String>naturalOrder())
                : Comparator.naturalOrder();
        TreeSet<String> set = new TreeSet<>(order);
        set.addAll(raw);
        return new ArrayList<>(set);
    }

    private static int[] indexBy(List<String> names, List<String> raw, int[] lines, Path file) {
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < names.size(); k++) {
            index.put(names.get(k), k);
        }
        int[] out = new int[raw.size()];
        for (int i = 0; i < out.length; i++) {
            Integer k = index.get(raw.get(i));
            if (k == null) {
                throw new DataFormatException(file + ", line " + lines[i] + ": label '" + raw.get(i)
                        + "' is not one of the training classes " + names
                        + "; use the same labels in both files.");
            }
            out[i] = k;
        }
        return out;
    }
}
