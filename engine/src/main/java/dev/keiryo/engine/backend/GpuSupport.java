package dev.keiryo.engine.backend;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Which GPUs ND4J's CUDA build can drive. ND4J 1.0.0-M2.1 ships CUDA 11.4 and 11.6 builds whose
 * kernels are compiled for compute capability 3.7 to 8.6, without PTX for newer GPUs: CUDA runs a
 * kernel compiled for X.y on any X.z with z >= y, so Ada (8.9) runs the 8.6 code, while Hopper (9.0)
 * and Blackwell (10.x, 12.x) fail at their first kernel with "no kernel image is available".
 * Checking first turns that crash into a sentence.
 */
public final class GpuSupport {
    /** The architectures the kernels cover, for users' sentences and the install docs. */
    public static final String SUPPORTED =
            "compute capability 3.7 to 8.9 (Kepler K80, Maxwell, Pascal, Volta, Turing, Ampere and Ada)";

    private GpuSupport() {}

    public static boolean supported(Gpu g) {
        if (g.major() == 3) {
            return g.minor() >= 7;
        }
        return g.major() >= 4 && g.major() <= 8;
    }

    /**
     * Null when ND4J can use every GPU in {@code gpus}; otherwise one sentence naming the GPUs it
     * cannot drive and what is supported. A mix is refused too: ND4J's CUDA backend starts on every
     * visible device, so the user has to hide the unsupported ones.
     */
    public static String problem(List<Gpu> gpus) {
        List<Gpu> bad = gpus.stream().filter(g -> !supported(g)).toList();
        if (bad.isEmpty()) {
            return null;
        }
        String names = bad.stream().map(Gpu::describe).collect(Collectors.joining(", "));
        String verb = bad.size() == 1 ? "is" : "are";
        if (bad.size() == gpus.size()) {
            return names + " " + verb + " not supported by the CUDA kernels of ND4J 1.0.0-M2.1, which cover "
                    + SUPPORTED;
        }
        String good = gpus.stream()
                .filter(GpuSupport::supported)
                .map(g -> Integer.toString(g.index()))
                .collect(Collectors.joining(","));
        return names + " " + verb + " not supported by the CUDA kernels of ND4J 1.0.0-M2.1, which cover " + SUPPORTED
                + "; to train on the others, start Keiryo with CUDA_VISIBLE_DEVICES=" + good;
    }
}
