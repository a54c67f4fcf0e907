package dev.keiryo.engine.backend;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OpenMP settings Keiryo applies when the user has not set them. On small models DL4J spends
 * most of its time in spinning OpenMP workers that steal each other's cores, not in arithmetic;
 * passive waiting with bound threads measured fastest on a 2-core AMD EPYC (AVX-512) for both LeNet-300-100 and
 * LeNet-5 (see {@code keiryo bench} and docs/speed.md).
 */
public final class ThreadSettings {
    /** Set this system property to {@code false} to leave the environment exactly as it is. */
    public static final String DISABLE_PROPERTY = "keiryo.threads.defaults";

    private ThreadSettings() {}

    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("OMP_WAIT_POLICY", "PASSIVE");
        d.put("OMP_PROC_BIND", "true");
        return d;
    }

    /** Variables reported by {@code keiryo info}, whether Keiryo set them or not. */
    public static String[] reported() {
        return new String[] {
            "OMP_NUM_THREADS",
            "OMP_WAIT_POLICY",
            "OMP_PROC_BIND",
            "OPENBLAS_NUM_THREADS",
            "OPENBLAS_CORETYPE",
            "MKL_NUM_THREADS"
        };
    }
}
