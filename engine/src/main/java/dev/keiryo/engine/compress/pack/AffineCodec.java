package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;

/**
 * Tags 16-18: uniform integer codes with a float32 scale per tensor or per channel.
 * <ul>
 *   <li>16 {@code quant-affine}: value = scale x (code - zeroPoint), 1..16 bits. Symmetric codes
 *       have the implicit zero point 2^(bits-1) and use -(2^(bits-1)-1)..2^(bits-1)-1, so +w and -w
 *       quantize alike; asymmetric ones store an i32 zero point per channel and cover [min, max]
 *       widened to include 0, so zero (a pruned weight) stays exactly zero.</li>
 *   <li>17 {@code quant-binary}: 1 bit, value = +-scale, scale = mean |w| (BinaryConnect/XNOR).</li>
 *   <li>18 {@code quant-ternary}: 2 bits, codes 0, 1, 2 mean 0, +scale, -scale; threshold
 *       0.7 x mean |w| and scale = mean |w| above it (Li and Liu, Ternary Weight Networks).</li>
 * </ul>
 * Payload: u8 bits, u8 flags (bit 0 asymmetric), u8 axis (0xFF per tensor), u32 channels,
 * f32 scale[channels], i32 zeroPoint[channels] (asymmetric only), n codes packed LSB first.
 */
public final class AffineCodec implements TensorCodec, CodeStreams {
    private static final int ASYMMETRIC = 1;

    /** The three layouts share a header and differ in what a code means. */
    public enum Mode {
        AFFINE(16, "quant-affine"),
        BINARY(17, "quant-binary"),
        TERNARY(18, "quant-ternary");

        final int tag;
        final String id;

        Mode(int tag, String id) {
            this.tag = tag;
            this.id = id;
        }
    }

    private final Mode mode;
    private final int bits;
    private final boolean symmetric;
    private final int axis;

    private AffineCodec(Mode mode, int bits, boolean symmetric, int axis) {
        if (bits < (symmetric ? 2 : 1) || bits > 16) {
            throw new IllegalArgumentException(
                    "affine bits must be " + (symmetric ? 2 : 1) + "..16 (was " + bits + ")");
        }
        if (axis != Channels.PER_TENSOR && (axis < 0 || axis > 254)) {
            throw new IllegalArgumentException("axis must be 0..254 or per tensor");
        }
        this.mode = mode;
        this.bits = bits;
        this.symmetric = symmetric;
        this.axis = axis;
    }

    /**
     * Uniform integer codes with a scale (and zero point unless symmetric).
     *
     * @param axis the channel axis of the shape, or -1 for one scale per tensor
     */
    public static AffineCodec affine(int bits, boolean symmetric, int axis) {
        return new AffineCodec(Mode.AFFINE, bits, symmetric, axisByte(axis));
    }

    public static AffineCodec binary(int axis) {
        return new AffineCodec(Mode.BINARY, 1, false, axisByte(axis));
    }

    public static AffineCodec ternary(int axis) {
        return new AffineCodec(Mode.TERNARY, 2, true, axisByte(axis));
    }

    private static int axisByte(int axis) {
        return axis < 0 ? Channels.PER_TENSOR : axis;
    }

    @Override
    public int tag() {
        return mode.tag;
    }

    @Override
    public String id() {
        return mode.id;
    }

    @Override
    public byte[] encode(float[] values, long[] shape) {
        if (axis != Channels.PER_TENSOR && axis >= shape.length) {
            throw new IllegalArgumentException(
                    "channel axis " + axis + " does not exist in a rank-" + shape.length + " tensor");
        }
        boolean asym = mode == Mode.AFFINE && !symmetric;
        int n = values.length;
        int c = Channels.count(shape, axis);
        int[] ch = Channels.of(shape, axis, n);
        float[] scale = new float[c];
        int[] zero = new int[c];
        int[] codes = new int[n];
        switch (mode) {
            case AFFINE -> affineCodes(values, ch, scale, zero, codes, asym);
            case BINARY -> signCodes(values, ch, scale, codes, false);
            case TERNARY -> signCodes(values, ch, scale, codes, true);
        }
        byte[] packed = BitPacking.pack(codes, n, bits);
        ByteBuffer out = Payloads.allocate(7L + 4L * c * (asym ? 2 : 1) + packed.length);
        out.put((byte) bits)
                .put((byte) (asym ? ASYMMETRIC : 0))
                .put((byte) axis)
                .putInt(c);
        for (float s : scale) {
            out.putFloat(s);
        }
        if (asym) {
            for (int z : zero) {
                out.putInt(z);
            }
        }
        out.put(packed);
        return Payloads.filled(out);
    }

    private void affineCodes(float[] v, int[] ch, float[] scale, int[] zero, int[] codes, boolean asym) {
        int c = scale.length;
        double[] lo = new double[c];
        double[] hi = new double[c];
        for (int i = 0; i < v.length; i++) {
            lo[ch[i]] = Math.min(lo[ch[i]], v[i]);
            hi[ch[i]] = Math.max(hi[ch[i]], v[i]);
        }
        int qmax = asym ? (1 << bits) - 1 : (1 << (bits - 1)) - 1;
        for (int k = 0; k < c; k++) {
            if (asym) {
                scale[k] = (float) ((hi[k] - lo[k]) / qmax);
                zero[k] = scale[k] == 0 ? 0 : (int) Math.max(0, Math.min(qmax, Math.round(-lo[k] / scale[k])));
            } else {
                scale[k] = stableScale((float) Math.max(hi[k], -lo[k]), qmax);
                zero[k] = 1 << (bits - 1);
            }
        }
        int lowest = asym ? 0 : -qmax;
        int highest = qmax;
        for (int i = 0; i < v.length; i++) {
            int k = ch[i];
            long q = scale[k] == 0 ? 0 : Math.round(v[i] / (double) scale[k]);
            q = Math.max(asym ? lowest - zero[k] : lowest, Math.min(asym ? highest - zero[k] : highest, q));
            codes[i] = (int) q + zero[k];
        }
    }

    /**
     * max / qmax, nudged by a few ulps to a scale that re-derives itself from its own largest
     * dequantized value, so quantizing already-quantized weights again changes nothing.
     */
    private static float stableScale(float max, int qmax) {
        float s0 = max / qmax;
        for (int t = 0; t <= 16; t++) {
            float s = t == 0 ? s0 : stepAway(s0, (t + 1) / 2, t % 2 == 1);
            if (s > 0 && Float.isFinite(s) && (s * qmax) / qmax == s) {
                return s;
            }
        }
        return s0;
    }

    private static float stepAway(float s, int steps, boolean up) {
        for (int i = 0; i < steps; i++) {
            s = up ? Math.nextUp(s) : Math.nextDown(s);
        }
        return s;
    }

    private static void signCodes(float[] v, int[] ch, float[] scale, int[] codes, boolean ternary) {
        int c = scale.length;
        double[] sum = new double[c];
        long[] cnt = new long[c];
        for (int i = 0; i < v.length; i++) {
            sum[ch[i]] += Math.abs(v[i]);
            cnt[ch[i]]++;
        }
        double[] threshold = new double[c];
        for (int k = 0; k < c; k++) {
            double mean = cnt[k] == 0 ? 0 : sum[k] / cnt[k];
            threshold[k] = 0.7 * mean;
            scale[k] = (float) mean;
        }
        if (ternary) {
            double[] above = new double[c];
            long[] n = new long[c];
            for (int i = 0; i < v.length; i++) {
                if (Math.abs(v[i]) > threshold[ch[i]]) {
                    above[ch[i]] += Math.abs(v[i]);
                    n[ch[i]]++;
                }
            }
            for (int k = 0; k < c; k++) {
                scale[k] = n[k] == 0 ? 0f : (float) (above[k] / n[k]);
            }
        }
        for (int i = 0; i < v.length; i++) {
            if (ternary) {
                double t = threshold[ch[i]];
                codes[i] = v[i] > t ? 1 : v[i] < -t ? 2 : 0;
            } else {
                codes[i] = v[i] >= 0 ? 1 : 0;
            }
        }
    }

    @Override
    public float[] decode(ByteBuffer payload, long[] shape) {
        int n = Codecs.count(shape);
        Header h = header(payload, shape);
        Codecs.expectLength(payload, h.codesAt + BitPacking.bytes(n, h.bits), mode.id);
        int base = payload.position();
        float[] scale = new float[h.channels];
        int[] zero = new int[h.channels];
        for (int k = 0; k < h.channels; k++) {
            scale[k] = payload.getFloat(base + 7 + 4 * k);
            zero[k] = h.asym ? payload.getInt(base + 7 + 4 * h.channels + 4 * k) : 1 << (h.bits - 1);
        }
        int[] codes = BitPacking.unpack(payload, base + h.codesAt, n, h.bits);
        int[] ch = Channels.of(shape, h.axis, n);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            int k = ch[i];
            v[i] = switch (mode) {
                case AFFINE -> scale[k] * (float) (codes[i] - zero[k]);
                case BINARY -> codes[i] == 1 ? scale[k] : -scale[k];
                case TERNARY -> ternary(codes[i], scale[k], i);
            };
        }
        return v;
    }

    private static float ternary(int code, float scale, int i) {
        return switch (code) {
            case 0 -> 0f;
            case 1 -> scale;
            case 2 -> -scale;
            default -> throw new PackFormatException("quant-ternary code 3 at position " + i + " means nothing");
        };
    }

    private record Header(int bits, boolean asym, int axis, int channels, int codesAt) {}

    private Header header(ByteBuffer payload, long[] shape) {
        LittleEndianIn.require(payload, 7, mode.id + " header");
        int base = payload.position();
        int b = payload.get(base) & 0xFF;
        int flags = payload.get(base + 1) & 0xFF;
        int ax = payload.get(base + 2) & 0xFF;
        long c = payload.getInt(base + 3) & 0xFFFF_FFFFL;
        int expectBits = mode == Mode.BINARY ? 1 : mode == Mode.TERNARY ? 2 : -1;
        boolean asym = (flags & ASYMMETRIC) != 0;
        if ((flags & ~ASYMMETRIC) != 0 || (asym && mode != Mode.AFFINE)) {
            throw new PackFormatException(mode.id + " has unknown flags " + flags);
        }
        if (expectBits > 0 ? b != expectBits : b < (asym ? 1 : 2) || b > 16) {
            throw new PackFormatException(mode.id + " cannot have " + b + "-bit codes");
        }
        Channels.checkAxis(ax, shape, mode.id);
        if (c != Channels.count(shape, ax)) {
            throw new PackFormatException(
                    mode.id + " has " + c + " scales for " + Channels.count(shape, ax) + " channels");
        }
        int codesAt = (int) (7 + 4 * c * (asym ? 2 : 1));
        LittleEndianIn.require(payload, codesAt, mode.id + " scales");
        return new Header(b, asym, ax, (int) c, codesAt);
    }

    @Override
    public Layout layout(ByteBuffer payload, long[] shape) {
        Header h = header(payload, shape);
        return new Layout(h.codesAt, new int[] {Codecs.count(shape)}, new int[] {h.bits});
    }

    @Override
    public String describe(ByteBuffer payload) {
        if (payload.remaining() < 3) {
            return "";
        }
        int base = payload.position();
        int ax = payload.get(base + 2) & 0xFF;
        String where = ax == Channels.PER_TENSOR ? "per tensor" : "per channel (axis " + ax + ")";
        if (mode != Mode.AFFINE) {
            return where;
        }
        boolean asym = (payload.get(base + 1) & ASYMMETRIC) != 0;
        return (payload.get(base) & 0xFF) + "-bit " + (asym ? "asymmetric " : "symmetric ") + where;
    }
}
