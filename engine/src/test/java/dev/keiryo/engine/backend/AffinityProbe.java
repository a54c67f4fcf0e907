package dev.keiryo.engine.backend;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a fresh JVM by {@link CpuCoresTest} and {@link ThreadSettingsTest}: the cores the thread that
 * set ND4J up (and, with {@code compute}, ran an ND4J operation) may still use,
 * read from /proc (the JVM's availableProcessors() caches its answer for a moment in containers).
 */
public final class AffinityProbe {
    private AffinityProbe() {}

    public static void main(String[] args) throws Exception {
        int cores = NativeSetup.initialize().cpuCores();
        if (args.length > 0 && args[0].equals("compute")) {
            // the calling thread runs OpenMP regions itself, as a training thread does
            org.nd4j.linalg.factory.Nd4j.rand(300, 300).mmul(org.nd4j.linalg.factory.Nd4j.rand(300, 300));
        }
        String allowed = Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(l -> l.startsWith("Cpus_allowed_list:"))
                .findFirst()
                .orElseThrow();
        System.out.println("PROBE " + cores + " "
                + CpuCoresTest.count(allowed.substring(allowed.indexOf(':') + 1).strip()));
    }
}
