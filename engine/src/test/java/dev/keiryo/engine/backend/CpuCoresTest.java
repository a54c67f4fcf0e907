package dev.keiryo.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class CpuCoresTest {
    /**
     * OpenMP pins a thread that runs ND4J work to one core, after which the JVM counts 1 processor
     * on that thread; Keiryo's count must still be the machine's, as the JVM's startup threads (never
     * touched by OpenMP) see it.
     */
    @Test
    void theCoreCountIgnoresOpenMpPinningTheCallingThread() throws Exception {
        Path tasks = Path.of("/proc/self/task");
        assumeTrue(Files.isDirectory(tasks), "needs Linux /proc");
        Nd4j.rand(400, 400).mmul(Nd4j.rand(400, 400));
        int untouched = startupThreadCpus(tasks);
        assumeTrue(untouched > 0, "the JVM's reference handler thread was not found");
        assertEquals(untouched, NativeSetup.cpuCores());
        assertEquals(untouched, NativeSetup.initialize().cpuCores());
    }

    /** The caller of initialize() keeps all cores, so threads it starts later (JavaFX's) do too. */
    @Test
    void settingUpNd4jLeavesTheCallingThreadUnpinned() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
        int[] probe = AffinityProbe.run(java.util.Map.of());
        assumeTrue(probe[0] > 1, "one core: nothing to pin away");
        assertEquals(probe[0], probe[1], "cores of the machine vs cores left to the caller");
    }

    private static int startupThreadCpus(Path tasks) throws IOException {
        try (Stream<Path> all = Files.list(tasks)) {
            for (Path t : all.toList()) {
                Path comm = t.resolve("comm");
                if (Files.isReadable(comm) && Files.readString(comm).strip().startsWith("Reference Handl")) {
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("Cpus_allowed_list:")) {
                            return count(line.substring(line.indexOf(':') + 1).strip());
                        }
                    }
                }
            }
        }
        return -1;
    }

    static int count(String list) {
        int n = 0;
        for (String part : list.split(",", -1)) {
            String[] r = part.split("-", -1);
            n += r.length == 1 ? 1 : Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1;
        }
        return n;
    }
}
