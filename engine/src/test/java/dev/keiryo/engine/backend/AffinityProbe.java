package dev.keiryo.engine.backend;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a fresh JVM by {@link CpuCoresTest}: the cores the thread that set ND4J up may still use,
 * read from /proc (the JVM's availableProcessors() caches its answer for a moment in containers).
 */
public final class AffinityProbe {
    private AffinityProbe() {}

    public static void main(String[] args) throws Exception {
        int cores = NativeSetup.initialize().cpuCores();
        String allowed = Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(l -> l.startsWith("Cpus_allowed_list:"))
                .findFirst()
                .orElseThrow();
        System.out.println("PROBE " + cores + " "
                + CpuCoresTest.count(allowed.substring(allowed.indexOf(':') + 1).strip()));
    }
}
