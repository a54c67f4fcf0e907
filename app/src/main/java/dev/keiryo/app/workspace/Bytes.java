package dev.keiryo.app.workspace;

import java.util.Locale;

/** File sizes for people: 1,234 B, 12.3 KB, 4.56 MB. */
public final class Bytes {
    private Bytes() {}

    public static String human(long bytes) {
        if (bytes < 10_000) {
            return String.format(Locale.ROOT, "%,d B", bytes);
        }
        if (bytes < 10_000_000) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1000.0);
        }
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }
}
