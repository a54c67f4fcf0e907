package dev.keiryo.engine.backend;

import java.util.Locale;

/**
 * One NVIDIA GPU as the driver reports it, before any CUDA kernel runs on it.
 *
 * @param index the CUDA device number
 * @param major compute capability, major part (9 for Hopper)
 * @param minor compute capability, minor part
 */
public record Gpu(int index, String name, int major, int minor) {
    public String capability() {
        return major + "." + minor;
    }

    /** "GPU 0 (NVIDIA H100, compute capability 9.0)". */
    public String describe() {
        return String.format(Locale.ROOT, "GPU %d (%s, compute capability %s)", index, name, capability());
    }
}
