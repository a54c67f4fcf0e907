package dev.keiryo.engine.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a numeric CSV table with one label column into a tabular {@link Dataset}. The delimiter
 * (comma, semicolon or tab) is taken from the first line, and that line is a header when any
 * feature field in it is not a number. Rows are streamed; only the parsed floats are kept.
 */
public final class CsvReader {
    private CsvReader() {}

    /** Reads a file on its own, inferring the classes from its labels. */
    public static Dataset read(Path file, LabelColumn label) {
        return read(file, label, null);
    }

    /**
     * Reads a file whose classes and columns must match {@code reference} (normally the training
     * set), so a test CSV maps each label to the same class index.
     *
     * @param reference the data set to match, or {@code null} to infer classes from this file
     */
    public static Dataset read(Path file, LabelColumn label, Dataset reference) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(in, file, label, reference);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(
                    "CSV file " + file + " was not found; check the path given " + "for the data.", e);
        } catch (IOException e) {
            throw new DataFormatException(
                    "Could not read CSV file " + file + " (" + e + "); check that it is readable UTF-8 text.", e);
        }
    }

    private static Dataset parse(BufferedReader in, Path file, LabelColumn label, Dataset reference)
            throws IOException {
        int lineNo = 0;
        String line;
        do {
            line = in.readLine();
            lineNo++;
        } while (line != null && line.isBlank());
        if (line == null) {
            throw new DataFormatException(
                    "CSV file " + file + " is empty; it needs an optional header " + "row and at least one data row.");
        }
        line = stripBom(line);
        int firstLineNo = lineNo;
        char delimiter = CsvSyntax.detectDelimiter(line);
        List<String> first = CsvSyntax.split(line, delimiter);
        int columns = first.size();
        if (columns < 2) {
            throw new DataFormatException("CSV file " + file + ", line " + lineNo + " has only one field; "
                    + "a data file needs a label column and at least one feature column, separated by "
                    + "commas, semicolons or tabs.");
        }
        // By index, the label column is known before the header question, so a string label in a
        // header-less file is not mistaken for a header.
        int labelGuess = label.isIndex() ? label.resolve(null, columns, file) : -1;
        boolean header = isHeader(first, labelGuess);
        int labelCol = label.resolve(header ? first : null, columns, file);
        int d = columns - 1;
        if (reference != null && reference.featureCount() != d) {
            throw new DataFormatException("CSV file " + file + " has " + d + " feature columns but the "
                    + "training data has " + reference.featureCount() + "; use files with the same columns.");
        }
        List<String> names = header ? first : null;

        FloatBuffer features = new FloatBuffer(d * 1024);
        List<String> rawLabels = new ArrayList<>();
        IntBuffer lines = new IntBuffer();
        if (!header) {
            addRow(first, lineNo, file, labelCol, names, features, rawLabels, lines);
        }
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = CsvSyntax.split(line, delimiter);
            if (fields.size() != columns) {
                throw new DataFormatException("CSV file " + file + ": line " + lineNo + " has "
                        + fields.size() + " fields, expected " + columns + " like line " + firstLineNo
                        + "; fix the row "
                        + "or check for a stray delimiter.");
            }
            addRow(fields, lineNo, file, labelCol, names, features, rawLabels, lines);
        }
        if (rawLabels.isEmpty()) {
            throw new DataFormatException(
                    "CSV file " + file + " has a header but no data rows; add rows " + "or choose another file.");
        }
        int[] rowLines = lines.toArray();
        CsvLabels.Encoded y = reference == null
                ? CsvLabels.encode(rawLabels, rowLines, file)
                : CsvLabels.encodeLike(rawLabels, rowLines, file, reference);
        return Dataset.tabular(baseName(file), features.toArray(), y.labels(), y.numClasses(), d, y.classNames());
    }

    private static boolean isHeader(List<String> first, int labelCol) {
        for (int i = 0; i < first.size(); i++) {
            if (i != labelCol && CsvSyntax.parseNumber(first.get(i)) == null) {
                return true;
            }
        }
        return false;
    }

    private static void addRow(
            List<String> fields,
            int lineNo,
            Path file,
            int labelCol,
            List<String> names,
            FloatBuffer features,
            List<String> labels,
            IntBuffer lines) {
        for (int c = 0; c < fields.size(); c++) {
            if (c == labelCol) {
                continue;
            }
            String s = fields.get(c);
            Float v = CsvSyntax.parseNumber(s);
            if (v == null) {
                throw new DataFormatException("CSV file " + file + ": line " + lineNo + ", column "
                        + column(c, names) + " holds '" + s + "', which is not a number; fix the "
                        + "value or drop the column.");
            }
            if (!Float.isFinite(v)) {
                throw new DataFormatException("CSV file " + file + ": line " + lineNo + ", column "
                        + column(c, names) + " holds " + s + ", which is not a finite number; remove "
                        + "the row or replace the value.");
            }
            features.add(v);
        }
        String label = fields.get(labelCol);
        if (label.isEmpty()) {
            throw new DataFormatException("CSV file " + file + ": line " + lineNo + " has an empty label "
                    + "in column " + column(labelCol, names) + "; every row needs a label.");
        }
        if (CsvLabels.isFraction(label)) {
            throw new DataFormatException("CSV file " + file + ": line " + lineNo + ", column "
                    + column(labelCol, names) + " holds the label '" + label + "', which is not a whole "
                    + "number; labels name classes (whole numbers or words), so round the values to classes "
                    + "or choose the column that holds the classes as the label column.");
        }
        labels.add(label);
        lines.add(lineNo);
    }

    private static String column(int c, List<String> names) {
        return names == null ? Integer.toString(c) : "'" + names.get(c) + "' (" + c + ")";
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    private static String baseName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** A growable float[]: a List&lt;Float&gt; would box every value of a large table. */
    private static final class FloatBuffer {
        private float[] data;
        private int size;

        FloatBuffer(int capacity) {
            data = new float[Math.max(16, capacity)];
        }

        void add(float v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, Math.addExact(data.length, data.length >> 1));
            }
            data[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    private static final class IntBuffer {
        private int[] data = new int[1024];
        private int size;

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
