package dev.keiryo.engine.backend;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the engine is running on: the ND4J backend, the native build, whether DL4J's oneDNN layer
 * helpers are active, the thread and native-memory settings in force with where each came from, and
 * whether CUDA GPUs can be used (and if not, why).
 */
public record BackendInfo(
        String backend,
        String nativeBuild,
        boolean oneDnnInBuild,
        boolean helpersActive,
        int ompThreads,
        int cpuCores,
        Map<String, String> threadVariables,
        NativeMemory nativeMemory,
        CudaStatus cuda) {

    /** The devices training can use: the CPU, then the usable GPUs. */
    public java.util.List<Device> devices() {
        java.util.List<Device> d = new java.util.ArrayList<>();
        d.add(new Device(
                Device.CPU,
                cpuCores + " cores, " + nativeBuild,
                Runtime.getRuntime().maxMemory()));
        d.addAll(cuda.devices());
        return java.util.List.copyOf(d);
    }

    /** Flat key/value view, for provenance files and {@code keiryo info --json}. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("backend", backend);
        m.put("nativeBuild", nativeBuild);
        m.put("oneDnnInBuild", Boolean.toString(oneDnnInBuild));
        m.put("helpersActive", Boolean.toString(helpersActive));
        m.put("ompThreads", Integer.toString(ompThreads));
        m.put("cpuCores", Integer.toString(cpuCores));
        threadVariables.forEach((k, v) -> m.put("env." + k, v));
        m.put("nativeMemory", nativeMemory.describe());
        m.put("allocator", nativeMemory.allocator());
        m.put("cuda", cuda.usable() ? cuda.devices().size() + " GPU(s)" : "unavailable: " + cuda.reason());
        return m;
    }

    /** The same facts in the API's terms, for the front ends. */
    public dev.keiryo.engine.api.backend.Backend report() {
        return new dev.keiryo.engine.api.backend.Backend(
                backend,
                nativeBuild,
                oneDnnInBuild,
                helpersActive,
                ompThreads,
                cpuCores,
                threadVariables,
                nativeMemory.describe(),
                nativeMemory.allocator(),
                devices().stream()
                        .map(d -> new dev.keiryo.engine.api.backend.Device(d.id(), d.name(), d.memoryBytes()))
                        .toList(),
                cuda.usable(),
                cuda.reason(),
                asMap());
    }
}
