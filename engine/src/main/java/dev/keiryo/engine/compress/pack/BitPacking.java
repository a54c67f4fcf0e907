package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;

/**
 * Fixed-width codes packed LSB first: code {@code i} occupies bits {@code i*bits .. i*bits+bits-1}
 * of the byte string, bit {@code j} being bit {@code j % 8} of byte {@code j / 8}. This is the order
 * tag 4 already uses for 4-bit gaps, so every N-bit layout in the format reads the same way.
 */
public final class BitPacking {
    private BitPacking() {}

    /** Bytes that {@code count} codes of {@code bits} occupy; unused bits of the last byte are 0. */
    public static long bytes(long count, int bits) {
        return (count * bits + 7) / 8;
    }

    /** Packs {@code codes} (each below 2^bits) at {@code bits} each, 1..16. */
    public static byte[] pack(int[] codes, int count, int bits) {
        check(bits);
        byte[] out = new byte[(int) bytes(count, bits)];
        long bit = 0;
        for (int i = 0; i < count; i++, bit += bits) {
            int c = codes[i];
            if (c >>> bits != 0) {
                throw new IllegalArgumentException("code " + c + " does not fit in " + bits + " bits");
            }
            // A code of up to 16 bits starting anywhere in a byte spans at most 3 bytes.
            int at = (int) (bit >>> 3);
            int v = c << (int) (bit & 7);
            for (int k = 0; v != 0; k++, v >>>= 8) {
                out[at + k] |= (byte) v;
            }
        }
        return out;
    }

    /** Reads {@code count} codes of {@code bits} from {@code in} starting at absolute index {@code at}. */
    public static int[] unpack(ByteBuffer in, int at, int count, int bits) {
        check(bits);
        int[] codes = new int[count];
        int mask = (1 << bits) - 1;
        int limit = at + (int) bytes(count, bits);
        long bit = 0;
        for (int i = 0; i < count; i++, bit += bits) {
            int p = at + (int) (bit >>> 3);
            int v = 0;
            for (int k = 0; k < 3 && p + k < limit; k++) {
                v |= (in.get(p + k) & 0xFF) << (8 * k);
            }
            codes[i] = (v >>> (int) (bit & 7)) & mask;
        }
        return codes;
    }

    private static void check(int bits) {
        if (bits < 1 || bits > 16) {
            throw new IllegalArgumentException("bits must be 1..16 (was " + bits + ")");
        }
    }
}
