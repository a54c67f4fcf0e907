package dev.keiryo.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeMallocTest {
    @Test
    void glibcTakesKeiryosSettingsOnLinux() {
        assumeTrue(Platform.isLinux());
        String inForce = NativeSetup.initialize().nativeMemory().allocator();
        if (System.getenv().keySet().stream().noneMatch(k -> k.startsWith("MALLOC_") || k.equals("GLIBC_TUNABLES"))
                && System.getProperty(NativeMalloc.DISABLE_PROPERTY) == null) {
            assertTrue(inForce.endsWith("(Keiryo default)"), inForce);
            assertTrue(inForce.contains("under 32 MiB"), inForce);
        }
    }

    @Test
    void aUsersOwnMallocSettingsAreLeftAlone() {
        assertEquals(
                "glibc malloc as set in the environment",
                NativeMalloc.apply(Map.of("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=0"), true));
        assertEquals(
                "glibc malloc as set in the environment", NativeMalloc.apply(Map.of("MALLOC_ARENA_MAX_", "2"), true));
        assertTrue(NativeMalloc.apply(Map.of(), false).startsWith("glibc malloc defaults"));
    }
}
