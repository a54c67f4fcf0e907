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

    /**
     * Runs the probe in a child JVM with {@code env} added to this one's environment (a null value
     * removes the variable) and returns {machine cores, cores left to the probed thread}.
     */
    static int[] run(java.util.Map<String, String> env, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/taskset"))) {
            // A child starts with the affinity of the thread that forks it, and this test JVM's own
            // threads may be bound already: hand the child every core the machine has.
            cmd.addAll(java.util.List.of("/usr/bin/taskset", "-c", "0-" + (NativeSetup.cpuCores() - 1)));
        }
        cmd.addAll(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AffinityProbe.class.getName()));
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("the probe failed:\n" + out);
        }
        String[] probe = out.lines()
                .filter(l -> l.startsWith("PROBE "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no PROBE line in:\n" + out))
                .split(" ", -1);
        return new int[] {Integer.parseInt(probe[1]), Integer.parseInt(probe[2])};
    }

    public static void main(String[] args) throws Exception {
        int cores = NativeSetup.initialize().cpuCores();
        if (args.length > 0 && args[0].equals("compute")) {
            // the calling thread runs OpenMP regions itself, as a training thread does
            // (a convolution: oneDNN runs it in OpenMP regions; ND4J's own loops use its own thread pool)
            dev.keiryo.engine.model.ModelFactory.build(
                            dev.keiryo.engine.model.Architecture.of(dev.keiryo.engine.model.ArchitecturePreset.LENET5),
                            new dev.keiryo.engine.model.InputShape(1, 28, 28),
                            10,
                            dev.keiryo.engine.train.TrainSettings.defaults())
                    .outputSingle(org.nd4j.linalg.factory.Nd4j.rand(
                            org.nd4j.linalg.api.buffer.DataType.FLOAT, 64, 1, 28, 28));
        }
        String allowed = Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(l -> l.startsWith("Cpus_allowed_list:"))
                .findFirst()
                .orElseThrow();
        System.out.println("PROBE " + cores + " "
                + CpuCoresTest.count(allowed.substring(allowed.indexOf(':') + 1).strip()));
    }
}
