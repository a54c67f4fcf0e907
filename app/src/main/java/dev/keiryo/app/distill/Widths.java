package dev.keiryo.app.distill;

import dev.keiryo.engine.api.KeiryoException;
import java.util.ArrayList;
import java.util.List;

/** The student widths of a sweep as typed ("0.125, 0.25, 0.5"), read or rejected with a sentence. */
final class Widths {
    static final String EXAMPLE = "0.125, 0.25, 0.5";

    private Widths() {}

    /**
     * The widths in the order given: numbers in (0, 1], separated by commas or spaces, at least one,
     * none twice.
     *
     * @throws KeiryoException saying which entry is wrong and what to type instead
     */
    static List<Double> parse(String text) {
        List<Double> out = new ArrayList<>();
        for (String part : (text == null ? "" : text).trim().split("[,;\\s]+", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            double w;
            try {
                w = Double.parseDouble(part);
            } catch (NumberFormatException e) {
                throw new KeiryoException("Sweep widths: '" + part
                        + "' is not a number; give widths in (0, 1] separated by" + " commas, e.g. " + EXAMPLE + ".");
            }
            if (!(w > 0 && w <= 1)) {
                throw new KeiryoException(
                        "Sweep widths: " + part + " is not in (0, 1]; a width multiplies the student's layer"
                                + " sizes, so use values such as " + EXAMPLE + ".");
            }
            if (out.contains(w)) {
                throw new KeiryoException("Sweep widths: " + part + " is given twice; list each width once.");
            }
            out.add(w);
        }
        if (out.isEmpty()) {
            throw new KeiryoException("Sweep widths: give at least one width in (0, 1], e.g. " + EXAMPLE + ".");
        }
        return out;
    }

    /** A width as typed: whole numbers without a decimal point ("x2", "x0.5"). */
    static String text(double w) {
        return w == Math.rint(w) ? Long.toString((long) w) : Double.toString(w);
    }
}
