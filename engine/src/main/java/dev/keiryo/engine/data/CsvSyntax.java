package dev.keiryo.engine.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Delimiter detection and field splitting for one CSV line. Double quotes may wrap a field (so
 * header names may contain the delimiter) and "" inside quotes is a literal quote; fields spanning
 * lines are not supported because numeric training data never needs them.
 */
final class CsvSyntax {
    private static final char[] CANDIDATES = {',', ';', '\t'};

    private CsvSyntax() {}

    /** The candidate delimiter occurring most often outside quotes; comma wins ties. */
    static char detectDelimiter(String firstLine) {
        char best = ',';
        int bestCount = 0;
        for (char c : CANDIDATES) {
            int n = countOutsideQuotes(firstLine, c);
            if (n > bestCount) {
                best = c;
                bestCount = n;
            }
        }
        return best;
    }

    static List<String> split(String line, char delimiter) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delimiter) {
                fields.add(field.toString().strip());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString().strip());
        return fields;
    }

    /** Parses a number the way the reader accepts it, or returns null when it is not one. */
    static Float parseNumber(String s) {
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Float.parseFloat(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int countOutsideQuotes(String line, char c) {
        int n = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == c && !quoted) {
                n++;
            }
        }
        return n;
    }
}
