package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;

/**
 * Tags 32 and 33: k-means weight sharing (Han, Mao, Dally, Deep Compression, 2016). Every value
 * becomes the nearest of 2^bits float32 centroids and is stored as a bits-wide index.
 * <ul>
 *   <li>32 {@code codebook}: u8 bits (1..8), u16 k, f32 centroids[k], n codes.</li>
 *   <li>33 {@code codebook-sparse}: keeps zeros (either sign) as +0.0 and clusters only the
 *       non-zeros, so pruning and sharing compose: u8 bits, u16 k, f32 centroids[k], u8 gap bits
 *       (1..8), u32 m gap entries, u32 z codes, m gaps, z codes. A gap g below 2^gapBits - 1
 *       skips g zeros and is followed by the next stored value; the escape 2^gapBits - 1 skips that
 *       many zeros and stores nothing, so long runs cost no code (tag 4 stores padding values).</li>
 * </ul>
 */
public final class CodebookCodec implements TensorCodec, CodeStreams {
    private final int bits;
    private final boolean sparse;
    private final int gapBits;

    private CodebookCodec(int bits, boolean sparse, int gapBits) {
        if (bits < 1 || bits > 8) {
            throw new IllegalArgumentException("codebook bits must be 1..8 (was " + bits + ")");
        }
        if (gapBits < 0 || gapBits > 8) {
            throw new IllegalArgumentException("gap bits must be 1..8, or 0 for the smallest");
        }
        this.bits = bits;
        this.sparse = sparse;
        this.gapBits = gapBits;
    }

    public static CodebookCodec dense(int bits) {
        return new CodebookCodec(bits, false, 0);
    }

    /**
     * Codebook indices of the non-zero weights only, with their positions as relative gaps.
     *
     * @param gapBits relative-index width 1..8, or 0 to take whichever gives the smallest payload
     */
    public static CodebookCodec sparse(int bits, int gapBits) {
        return new CodebookCodec(bits, true, gapBits);
    }

    @Override
    public int tag() {
        return sparse ? 33 : 32;
    }

    @Override
    public String id() {
        return sparse ? "codebook-sparse" : "codebook";
    }

    @Override
    public byte[] encode(float[] values, long[] shape) {
        int k = 1 << bits;
        float[] clustered = sparse ? stored(values) : values;
        float[] c = KMeans1D.centroids(clustered, k);
        int[] codes = new int[clustered.length];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = KMeans1D.nearest(clustered[i], c);
        }
        byte[] packedCodes = BitPacking.pack(codes, codes.length, bits);
        int gb = 0;
        int[] gaps = new int[0];
        int m = 0;
        if (sparse) {
            gb = gapBits != 0 ? gapBits : smallestGapBits(values);
            gaps = gaps(values, gb);
            m = gaps.length;
        }
        byte[] packedGaps = sparse ? BitPacking.pack(gaps, m, gb) : new byte[0];
        ByteBuffer out = Payloads.allocate(3L + 4L * k + (sparse ? 9 : 0) + packedGaps.length + packedCodes.length);
        out.put((byte) bits).putShort((short) k);
        for (float x : c) {
            out.putFloat(x);
        }
        if (sparse) {
            out.put((byte) gb).putInt(m).putInt(codes.length).put(packedGaps);
        }
        out.put(packedCodes);
        return Payloads.filled(out);
    }

    private static float[] stored(float[] values) {
        float[] s = new float[Payloads.countStored(values)];
        int j = 0;
        for (float v : values) {
            if (Payloads.stored(v)) {
                s[j++] = v;
            }
        }
        return s;
    }

    private static int smallestGapBits(float[] values) {
        int best = 8;
        long bestBytes = Long.MAX_VALUE;
        for (int gb = 1; gb <= 8; gb++) {
            long bytes = BitPacking.bytes(gapEntries(values, gb), gb);
            if (bytes < bestBytes) {
                best = gb;
                bestBytes = bytes;
            }
        }
        return best;
    }

    private static long gapEntries(float[] values, int gb) {
        int esc = (1 << gb) - 1;
        long m = 0;
        int prev = -1;
        for (int i = 0; i < values.length; i++) {
            if (Payloads.stored(values[i])) {
                m += 1 + (i - prev - 1) / esc;
                prev = i;
            }
        }
        return m;
    }

    private static int[] gaps(float[] values, int gb) {
        int esc = (1 << gb) - 1;
        int[] g = new int[(int) gapEntries(values, gb)];
        int j = 0;
        int prev = -1;
        for (int i = 0; i < values.length; i++) {
            if (Payloads.stored(values[i])) {
                int gap = i - prev - 1;
                for (; gap >= esc; gap -= esc) {
                    g[j++] = esc;
                }
                g[j++] = gap;
                prev = i;
            }
        }
        return g;
    }

    @Override
    public float[] decode(ByteBuffer payload, long[] shape) {
        int n = Codecs.count(shape);
        Layout l = layout(payload, shape);
        Codecs.expectLength(payload, l.payloadBytes(), id());
        int base = payload.position();
        int k = payload.getShort(base + 1) & 0xFFFF;
        float[] c = new float[k];
        for (int j = 0; j < k; j++) {
            c[j] = payload.getFloat(base + 3 + 4 * j);
        }
        int codesAt = base + l.headerBytes() + (sparse ? (int) BitPacking.bytes(l.counts()[0], l.bits()[0]) : 0);
        int z = l.counts()[sparse ? 1 : 0];
        int[] codes = BitPacking.unpack(payload, codesAt, z, bits(l));
        for (int j = 0; j < z; j++) {
            if (codes[j] >= k) {
                throw new PackFormatException(id() + " code " + codes[j] + " has no centroid (k = " + k + ")");
            }
        }
        float[] v = new float[n];
        if (!sparse) {
            for (int i = 0; i < n; i++) {
                v[i] = c[codes[i]];
            }
            return v;
        }
        int gb = l.bits()[0];
        int esc = (1 << gb) - 1;
        int[] gaps = BitPacking.unpack(payload, base + l.headerBytes(), l.counts()[0], gb);
        long pos = -1;
        int j = 0;
        for (int g : gaps) {
            if (g == esc) {
                pos += esc;
                continue;
            }
            pos += g + 1;
            if (pos >= n || j >= z) {
                throw new PackFormatException(id() + " gaps point past the end of the tensor or past its codes");
            }
            v[(int) pos] = c[codes[j++]];
        }
        if (j != z) {
            throw new PackFormatException(id() + " stores " + z + " codes but its gaps place " + j);
        }
        return v;
    }

    private static int bits(Layout l) {
        return l.bits()[l.bits().length - 1];
    }

    @Override
    public Layout layout(ByteBuffer payload, long[] shape) {
        LittleEndianIn.require(payload, 3, id() + " header");
        int base = payload.position();
        int b = payload.get(base) & 0xFF;
        int k = payload.getShort(base + 1) & 0xFFFF;
        if (b < 1 || b > 8 || k < 1 || k > 1 << b) {
            throw new PackFormatException(id() + " cannot have " + k + " centroids at " + b + " bits");
        }
        int head = 3 + 4 * k;
        if (!sparse) {
            LittleEndianIn.require(payload, head, id() + " centroids");
            return new Layout(head, new int[] {Codecs.count(shape)}, new int[] {b});
        }
        LittleEndianIn.require(payload, head + 9, id() + " header");
        int gb = payload.get(base + head) & 0xFF;
        long m = payload.getInt(base + head + 1) & 0xFFFF_FFFFL;
        long z = payload.getInt(base + head + 5) & 0xFFFF_FFFFL;
        if (gb < 1 || gb > 8 || m > Integer.MAX_VALUE - 8 || z > Codecs.count(shape) || z > m) {
            throw new PackFormatException(
                    id() + " header is inconsistent (gap bits " + gb + ", " + m + " gaps, " + z + " codes)");
        }
        return new Layout(head + 9, new int[] {(int) m, (int) z}, new int[] {gb, b});
    }

    @Override
    public String describe(ByteBuffer payload) {
        if (payload.remaining() < 3) {
            return "";
        }
        int b = payload.get(payload.position()) & 0xFF;
        int k = payload.getShort(payload.position() + 1) & 0xFFFF;
        String s = k + " centroids, " + b + "-bit codes";
        int at = payload.position() + 3 + 4 * k;
        return sparse && payload.limit() > at ? s + ", " + (payload.get(at) & 0xFF) + "-bit gaps" : s;
    }
}
