package dev.keiryo.engine.backend;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the engine is running on: the ND4J backend, the native build, whether DL4J's oneDNN layer
 * helpers are active, and the thread settings in force with where each came from.
 */
public record BackendInfo(
        String backend,
        String nativeBuild,
        boolean oneDnnInBuild,
        boolean helpersActive,
        int ompThreads,
        int cpuCores,
        Map<String, String> threadVariables) {

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
        return m;
    }
}
