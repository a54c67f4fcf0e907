package dev.keiryo.engine.backend;

import java.util.Map;
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
        return coreType(CpuInfo.firstProcessor());
    }

    /** The core type for the first processor described in {@code cpuinfo} (Linux's /proc/cpuinfo). */
    static Optional<String> coreType(String cpuinfo) {
        return coreType(CpuInfo.parse(cpuinfo));
    }

    private static Optional<String> coreType(Map<String, String> cpu) {
        String flags = cpu.getOrDefault("flags", "");
        // Zen 4 and later with AVX-512: the kernels OpenBLAS 0.3.21+ itself chooses for them
        boolean zen4OrLater = "AuthenticAMD".equals(cpu.get("vendor_id"))
                && parse(cpu.getOrDefault("cpu family", "")) >= 25
                && java.util.List.of(flags.split("\\s+")).containsAll(AVX512);
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
