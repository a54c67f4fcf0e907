package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;

/**
 * Tag 4: Deep Compression's relative indexing (Han et al., 2016). Each stored value carries the
 * number of zero positions skipped since the previous one, in 4 or 8 bits. A run of zeros longer
 * than the largest gap (15 or 255) is bridged with padding entries: gap = the maximum and value
 * +0.0. Zeros of either sign come back as +0.0. Cheaper than a bitmask when non-zeros are rare,
 * dearer when they are common.
 *
 * <p>Payload: u8 gap bits (4 or 8), u32 entry count m, m gaps packed LSB first (two per byte at 4
 * bits, low nibble first; an unused final nibble is 0), then m float32 values.
 */
final class SparseRelativeCodec implements TensorCodec {
    private final int bits;

    /** @param bits 4 or 8 to force a gap width; 0 to take whichever gives the smaller payload */
    SparseRelativeCodec(int bits) {
        if (bits != 0 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException("gap bits must be 0, 4 or 8");
        }
        this.bits = bits;
    }

    @Override
    public int tag() {
        return 4;
    }

    @Override
    public String id() {
        return "sparse-relative-f32";
    }

    @Override
    public byte[] encode(float[] values, long[] shape) {
        int b = bits != 0 ? bits : (size(values, 4) <= size(values, 8) ? 4 : 8);
        int max = (1 << b) - 1;
        long m = entries(values, b);
        ByteBuffer out = Payloads.allocate(size(values, b));
        out.put((byte) b).putInt((int) m);
        byte[] raw = Payloads.filled(out);
        int gapsAt = out.position();
        int valuesAt = gapsAt + gapBytes(m, b);
        int k = 0;
        int prev = -1;
        for (int i = 0; i < values.length; i++) {
            if (!Payloads.stored(values[i])) {
                continue;
            }
            int gap = i - prev - 1;
            while (gap > max) {
                putEntry(raw, out, gapsAt, valuesAt, k++, b, max, 0f);
                gap -= max + 1;
            }
            putEntry(raw, out, gapsAt, valuesAt, k++, b, gap, values[i]);
            prev = i;
        }
        return raw;
    }

    @Override
    public float[] decode(ByteBuffer payload, long[] shape) {
        int n = Codecs.count(shape);
        LittleEndianIn.require(payload, 5, "sparse-relative-f32 header");
        int base = payload.position();
        int b = payload.get(base) & 0xFF;
        if (b != 4 && b != 8) {
            throw new PackFormatException("sparse-relative-f32 gap width is " + b + " bits; only 4 and 8 exist");
        }
        long m = payload.getInt(base + 1) & 0xFFFF_FFFFL;
        Codecs.expectLength(payload, 5L + gapBytes(m, b) + 4L * m, "sparse-relative-f32");
        int gapsAt = base + 5;
        int valuesAt = gapsAt + gapBytes(m, b);
        float[] v = new float[n];
        long pos = -1;
        for (int k = 0; k < m; k++) {
            int gap = b == 8 ? payload.get(gapsAt + k) & 0xFF : (payload.get(gapsAt + k / 2) >>> (4 * (k & 1))) & 0xF;
            pos += gap + 1;
            if (pos >= n) {
                throw new PackFormatException("sparse-relative-f32 entry " + k + " points past the end of the tensor");
            }
            v[(int) pos] = payload.getFloat(valuesAt + 4 * k);
        }
        return v;
    }

    @Override
    public String describe(ByteBuffer payload) {
        return payload.remaining() > 0 ? (payload.get(payload.position()) & 0xFF) + "-bit gaps" : "";
    }

    private static void putEntry(
            byte[] raw, ByteBuffer out, int gapsAt, int valuesAt, int k, int b, int gap, float value) {
        if (b == 8) {
            raw[gapsAt + k] = (byte) gap;
        } else {
            raw[gapsAt + k / 2] |= (byte) (gap << (4 * (k & 1)));
        }
        out.putFloat(valuesAt + 4 * k, value);
    }

    /** Entries including padding: a gap g costs 1 + g / 2^bits entries. */
    static long entries(float[] values, int b) {
        long m = 0;
        int prev = -1;
        for (int i = 0; i < values.length; i++) {
            if (Payloads.stored(values[i])) {
                m += 1 + (i - prev - 1) / (1 << b);
                prev = i;
            }
        }
        return m;
    }

    static long size(float[] values, int b) {
        long m = entries(values, b);
        return 5L + gapBytes(m, b) + 4L * m;
    }

    private static int gapBytes(long m, int b) {
        return (int) ((m * b + 7) / 8);
    }
}
