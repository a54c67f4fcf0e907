package dev.keiryo.engine.api.backend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the engine runs on, as {@code keiryo info} shows it.
 *
 * @param backend the ND4J backend ("CPU", "CUDA")
 * @param nativeBuild the native build in use (e.g. linux-x86_64-onednn)
 * @param oneDnnInBuild the native build contains oneDNN
 * @param helpersActive DL4J's oneDNN layer helpers are used for convolution, pooling and batch norm
 * @param threadVariables the thread settings in force, each with where it came from, in a fixed order
 * @param memory the native-memory limits in force, in words
 * @param allocator the C allocator's settings, in words
 * @param devices the devices training can use: the CPU, then the usable GPUs
 * @param cudaUsable at least one GPU can be used
 * @param cudaReason why no GPU can be used, in words
 * @param facts all of the above as flat text, as written to a run's provenance
 */
public record Backend(
        String backend,
        String nativeBuild,
        boolean oneDnnInBuild,
        boolean helpersActive,
        int ompThreads,
        int cpuCores,
        Map<String, String> threadVariables,
        String memory,
        String allocator,
        List<Device> devices,
        boolean cudaUsable,
        String cudaReason,
        Map<String, String> facts) {

    public Backend {
        threadVariables = Collections.unmodifiableMap(new LinkedHashMap<>(threadVariables));
        devices = List.copyOf(devices);
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }
}
