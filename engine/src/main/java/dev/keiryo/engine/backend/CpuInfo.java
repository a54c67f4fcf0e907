package dev.keiryo.engine.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The first processor's fields in Linux's {@code /proc/cpuinfo} ("vendor_id", "cpu family", "flags", ...). */
public final class CpuInfo {
    private CpuInfo() {}

    /** The fields by name; empty outside Linux or when the file cannot be read. */
    public static Map<String, String> firstProcessor() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return Map.of();
        }
        try {
            return parse(Files.readString(cpuinfo));
        } catch (IOException | UncheckedIOException e) {
            return Map.of();
        }
    }

    /** The fields of the first block (up to the first blank line) of {@code cpuinfo}'s text. */
    static Map<String, String> parse(String cpuinfo) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : cpuinfo.split("\n", -1)) {
            if (line.isBlank() && !fields.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon >= 0) {
                fields.putIfAbsent(
                        line.substring(0, colon).trim(),
                        line.substring(colon + 1).trim());
            }
        }
        return fields;
    }
}
