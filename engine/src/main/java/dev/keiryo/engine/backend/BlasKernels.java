package dev.keiryo.engine.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The OpenBLAS kernel family Keiryo asks for when OpenBLAS would pick a worse one. ND4J ships
 * OpenBLAS 0.3.19, which predates AMD's Zen 4: it takes family 25 for Zen 3 and runs its AVX2
 * kernels, leaving AVX-512 unused (OpenBLAS 0.3.21 picks the AVX-512 ones on the same CPU). With
 * {@code OPENBLAS_CORETYPE=SkylakeX} LeNet-5 trained 3-5% faster and LeNet-300-100's 10x100
 * products ran twice as fast on a 2-core AMD EPYC (Zen 4); see docs/speed.md.
 */
final class BlasKernels {
    static final String VARIABLE = "OPENBLAS_CORETYPE";
    private static final Set<String> AVX512 = Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

    private BlasKernels() {}

    /** The core type to set for this machine's CPU, or empty to leave OpenBLAS's own choice. */
    static Optional<String> forThisCpu() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return Optional.empty();
        }
        try {
            return coreType(Files.readString(cpuinfo));
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The core type for the first processor described in {@code cpuinfo} (Linux's /proc/cpuinfo). */
    static Optional<String> coreType(String cpuinfo) {
        String vendor = null;
        int family = -1;
        Set<String> flags = Set.of();
        for (String line : cpuinfo.split("\n", -1)) {
            if (line.isBlank() && vendor != null) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "vendor_id" -> vendor = value;
                case "cpu family" -> family = parse(value);
                case "flags" -> flags = Set.of(value.split("\\s+"));
                default -> {}
            }
        }
        // Zen 4 and later with AVX-512: the kernels OpenBLAS 0.3.21+ itself chooses for them
        boolean zen4OrLater = "AuthenticAMD".equals(vendor) && family >= 25 && flags.containsAll(AVX512);
        return zen4OrLater ? Optional.of("SkylakeX") : Optional.empty();
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
