package dev.keiryo.engine.backend;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.Map;

/**
 * Tunes glibc's allocator for DL4J's training step, which allocates and frees the same few
 * megabyte-sized arrays every minibatch (LeNet-5's first activation is 5.9 MB). By default glibc
 * serves blocks above a moving threshold with fresh mappings and hands the top of each heap back to
 * the kernel, so those arrays were faulted in again, page by page, every step: 840,000 page faults in
 * 400 LeNet-5 minibatches, against 180,000 with these settings, on a 2-core AMD EPYC (AVX-512). Applied
 * through {@code mallopt} because installed launchers cannot set {@code GLIBC_TUNABLES}.
 */
final class NativeMalloc {
    /** {@code -Dkeiryo.malloc.defaults=false} leaves glibc's allocator as it is, to compare. */
    static final String DISABLE_PROPERTY = "keiryo.malloc.defaults";

    static final int MMAP_THRESHOLD = 32 << 20;
    static final int TRIM_THRESHOLD = 256 << 20;
    static final int TOP_PAD = 64 << 20;
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;

    private NativeMalloc() {}

    interface GlibC extends Library {
        int mallopt(int param, int value);

        String gnu_get_libc_version();
    }

    /** Applies the settings unless the user tuned malloc already; returns what is in force, in words. */
    static String apply(Map<String, String> env, boolean defaultsWanted) {
        if (!Platform.isLinux()) {
            return "the system's allocator";
        }
        if (env.getOrDefault("GLIBC_TUNABLES", "").contains("glibc.malloc.")
                || env.keySet().stream().anyMatch(k -> k.startsWith("MALLOC_") && k.endsWith("_"))) {
            return "glibc malloc as set in the environment";
        }
        if (!defaultsWanted) {
            return "glibc malloc defaults (-D" + DISABLE_PROPERTY + "=false)";
        }
        try {
            GlibC c = Native.loadLibrary("c", GlibC.class);
            String version = c.gnu_get_libc_version();
            boolean ok = c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
                    && c.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
                    && c.mallopt(M_TOP_PAD, TOP_PAD) == 1;
            return ok
                    ? String.format(
                            "glibc %s malloc: blocks under %d MiB reused, heaps kept up to %d MiB free (Keiryo default)",
                            version, MMAP_THRESHOLD >> 20, TRIM_THRESHOLD >> 20)
                    : "glibc " + version + " malloc defaults (mallopt refused)";
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "the C library's allocator (not glibc)";
        }
    }
}
