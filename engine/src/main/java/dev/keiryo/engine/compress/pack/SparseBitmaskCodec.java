package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;

/**
 * Tag 3: one presence bit per position (least significant bit first), then the non-zero values as
 * float32 in position order; zeros of either sign come back as +0.0. Costs n/8 + 4 x non-zeros bytes: smaller than dense once more than
 * about 3% of the values are zero, and its size does not depend on where the zeros are.
 */
final class SparseBitmaskCodec implements TensorCodec {

    @Override
    public int tag() {
        return 3;
    }

    @Override
    public String id() {
        return "sparse-bitmask-f32";
    }

    @Override
    public byte[] encode(float[] values, long[] shape) {
        int maskBytes = maskBytes(values.length);
        ByteBuffer b = Payloads.allocate(maskBytes + 4L * Payloads.countStored(values));
        byte[] mask = Payloads.filled(b);
        b.position(maskBytes);
        for (int i = 0; i < values.length; i++) {
            if (Payloads.stored(values[i])) {
                mask[i >>> 3] |= (byte) (1 << (i & 7));
                b.putFloat(values[i]);
            }
        }
        return mask;
    }

    @Override
    public float[] decode(ByteBuffer payload, long[] shape) {
        int n = Codecs.count(shape);
        int maskBytes = maskBytes(n);
        LittleEndianIn.require(payload, maskBytes, "sparse-bitmask-f32 presence mask");
        int base = payload.position();
        long present = 0;
        for (int i = 0; i < maskBytes; i++) {
            present += Integer.bitCount(payload.get(base + i) & 0xFF);
        }
        if (n % 8 != 0 && (payload.get(base + maskBytes - 1) & 0xFF) >>> (n % 8) != 0) {
            throw new PackFormatException(
                    "sparse-bitmask-f32 presence mask marks positions past the end of the tensor");
        }
        Codecs.expectLength(payload, maskBytes + 4L * present, "sparse-bitmask-f32");
        float[] v = new float[n];
        int at = base + maskBytes;
        for (int i = 0; i < n; i++) {
            if ((payload.get(base + (i >>> 3)) & (1 << (i & 7))) != 0) {
                v[i] = payload.getFloat(at);
                at += 4;
            }
        }
        return v;
    }

    private static int maskBytes(int n) {
        return (n + 7) >>> 3;
    }
}
