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

    /**
     * The variables Keiryo sets when the user has not.
     *
     * @param ompNumThreads the user's {@code OMP_NUM_THREADS}, or null
     * @param cores the processors this process may use
     */
    public static Map<String, String> defaults(String ompNumThreads, int cores) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("OMP_WAIT_POLICY", "PASSIVE");
        // Binding places OpenMP's threads on the first cores in order. That pays when the threads
        // fill the machine; with fewer, every Keiryo process lands on the first core (two
        // single-threaded runs side by side measured 50% of a core each, the second core idle).
        d.put("OMP_PROC_BIND", threads(ompNumThreads, cores) >= cores ? "true" : "false");
        return d;
    }

    /** The OpenMP thread count {@code OMP_NUM_THREADS} asks for; unset or unreadable is one per core. */
    static int threads(String ompNumThreads, int cores) {
        if (ompNumThreads == null) {
            return cores;
        }
        try {
            // A list ("2,1") gives the count of each nesting level; the first is the one that runs.
            return Integer.parseInt(ompNumThreads.split(",", -1)[0].strip());
        } catch (NumberFormatException e) {
            return cores;
        }
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
