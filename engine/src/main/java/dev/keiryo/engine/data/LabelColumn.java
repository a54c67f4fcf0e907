package dev.keiryo.engine.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Which CSV column holds the label: a 0-based index ("4"; negative counts from the end, "-1" is
 * the last column) or a header name ("species"). One string so it can come straight from a
 * command-line option or a saved run config.
 */
public record LabelColumn(String spec) {
    /** The last column, the most common place for a label. */
    public static final LabelColumn LAST = new LabelColumn("-1");

    public LabelColumn {
        Objects.requireNonNull(spec, "spec");
        spec = spec.strip();
        if (spec.isEmpty()) {
            throw new IllegalArgumentException("label column spec is empty");
        }
    }

    public static LabelColumn of(String spec) {
        return new LabelColumn(spec);
    }

    public static LabelColumn index(int index) {
        return new LabelColumn(Integer.toString(index));
    }

    /** True when the spec is an integer index rather than a column name. */
    public boolean isIndex() {
        try {
            Integer.parseInt(spec);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The 0-based column this spec points at.
     *
     * @param header the column names, or {@code null} when the file has no header row
     */
    int resolve(List<String> header, int columnCount, Path file) {
        if (isIndex()) {
            int i = Integer.parseInt(spec);
            int resolved = i < 0 ? columnCount + i : i;
            if (resolved < 0 || resolved >= columnCount) {
                throw new DataFormatException("Label column index " + i + " is out of range for " + file
                        + ", which has " + columnCount + " columns (0.." + (columnCount - 1)
                        + "); give an index in that range or a column name.");
            }
            return resolved;
        }
        if (header == null) {
            throw new DataFormatException("Label column '" + spec + "' is given by name but " + file
                    + " has no header row; give the label column's 0-based index instead.");
        }
        int exact = header.indexOf(spec);
        if (exact >= 0) {
            return exact;
        }
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).equalsIgnoreCase(spec)) {
                return i;
            }
        }
        throw new DataFormatException("Label column '" + spec + "' was not found in " + file + "; available columns: "
                + String.join(", ", header) + ".");
    }

    @Override
    public String toString() {
        return spec;
    }
}
