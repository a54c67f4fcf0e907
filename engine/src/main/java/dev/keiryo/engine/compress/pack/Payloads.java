package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Small helpers codecs share so each one only spells out its own layout. */
final class Payloads {
    private Payloads() {}

    /** A little-endian buffer backed by an array of exactly {@code bytes}. */
    static ByteBuffer allocate(long bytes) {
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a payload of " + bytes + " bytes does not fit in one array");
        }
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The whole backing array of a buffer from {@link #allocate}, to write into or return. */
    static byte[] filled(ByteBuffer b) {
        if (b.arrayOffset() != 0 || b.array().length != b.capacity()) {
            throw new IllegalStateException("not a buffer from Payloads.allocate");
        }
        return b.array();
    }

    /**
     * Whether a sparse encoding must store a value: everything but zero. -0.0 counts as zero and
     * comes back as +0.0: pruning by mask multiplication turns every negative pruned weight into
     * -0.0, and storing those would cost a pruned network most of its savings. The sign of a zero
     * weight changes no sum it enters, so outputs stay the same.
     */
    static boolean stored(float v) {
        return v != 0f; // true for NaN too
    }

    /** Same value: identical bits, or both zeros of either sign (see {@link #stored}). */
    static boolean same(float a, float b) {
        return Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b) || (a == 0f && b == 0f);
    }

    static int countStored(float[] values) {
        int n = 0;
        for (float v : values) {
            if (stored(v)) {
                n++;
            }
        }
        return n;
    }
}
