package dev.keiryo.engine.backend;

import java.util.List;

/**
 * Whether this Keiryo can train on NVIDIA GPUs, and if not, why, in words for the user.
 *
 * @param inBuild the ND4J CUDA backend is on the class path (a {@code -Pcuda} build)
 * @param devices the usable GPUs ("cuda:0", ...); empty when none
 * @param reason why there are none; null when there are
 */
public record CudaStatus(boolean inBuild, List<Device> devices, String reason) {
    public static final String NOT_IN_BUILD =
            "this Keiryo was built without the CUDA backend (build it with ./mvnw -Pcuda)";

    public boolean usable() {
        return !devices.isEmpty();
    }
}
