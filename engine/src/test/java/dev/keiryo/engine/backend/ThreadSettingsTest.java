package dev.keiryo.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ThreadSettingsTest {
    @Test
    void threadsAreBoundOnlyWhenTheyFillTheMachine() {
        assertEquals("true", ThreadSettings.defaults(null, 2).get("OMP_PROC_BIND"));
        assertEquals("true", ThreadSettings.defaults("2", 2).get("OMP_PROC_BIND"));
        assertEquals("true", ThreadSettings.defaults("4", 2).get("OMP_PROC_BIND"));
        assertEquals("false", ThreadSettings.defaults("1", 2).get("OMP_PROC_BIND"));
        assertEquals("false", ThreadSettings.defaults("1,1", 2).get("OMP_PROC_BIND"));
        assertEquals("true", ThreadSettings.defaults("1", 1).get("OMP_PROC_BIND"));
        assertEquals("true", ThreadSettings.defaults("many", 2).get("OMP_PROC_BIND"));
        assertEquals("PASSIVE", ThreadSettings.defaults("1", 2).get("OMP_WAIT_POLICY"));
    }

    /**
     * A single-threaded process (OMP_NUM_THREADS=1, as for runs side by side) keeps every core for
     * the thread that computes, so the operating system can put two such processes on two cores.
     */
    @Test
    void aSingleThreadedProcessIsNotPinnedToTheFirstCore() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        AffinityProbe.class.getName(),
                        "compute")
                .redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().remove("OMP_PROC_BIND");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        String[] probe = out.lines()
                .filter(l -> l.startsWith("PROBE "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no PROBE line in:\n" + out))
                .split(" ", -1);
        assumeTrue(Integer.parseInt(probe[1]) > 1, "one core: nothing to pin away");
        assertEquals(probe[1], probe[2], "cores of the machine vs cores left to the thread that computed");
    }
}
