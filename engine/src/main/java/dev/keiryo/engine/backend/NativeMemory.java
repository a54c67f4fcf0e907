package dev.keiryo.engine.backend;

import org.bytedeco.javacpp.Pointer;

/**
 * JavaCPP's limits on native memory as in force: {@code maxBytes} caps the allocations it tracks,
 * {@code maxPhysicalBytes} (0 = off) the process's resident memory; {@code source} says who set the
 * latter; {@code allocator} describes the C allocator's settings ({@link NativeMalloc}).
 */
public record NativeMemory(long maxBytes, long maxPhysicalBytes, String source, String allocator) {

    static NativeMemory current(String source, String allocator) {
        return new NativeMemory(Pointer.maxBytes(), Pointer.maxPhysicalBytes(), source, allocator);
    }

    /** One line for {@code keiryo info} and provenance. */
    public String describe() {
        String physical = maxPhysicalBytes > 0 ? "at " + Pointer.formatBytes(maxPhysicalBytes) : "off";
        return "native allocations up to " + Pointer.formatBytes(maxBytes) + "; resident-memory check " + physical
                + " (" + source + ")";
    }
}
