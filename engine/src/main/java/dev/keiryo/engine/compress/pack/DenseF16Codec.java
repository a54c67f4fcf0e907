package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;

/**
 * Tag 2: every value as a little-endian IEEE-754 binary16. Exact for HALF networks (and for values
 * that happen to be representable, such as all zeros); lossy for float32 values otherwise, so
 * "auto" only picks it when it reproduces a tensor exactly.
 */
public final class DenseF16Codec implements TensorCodec {

    @Override
    public int tag() {
        return 2;
    }

    @Override
    public String id() {
        return "dense-f16";
    }

    @Override
    public byte[] encode(float[] values, long[] shape) {
        ByteBuffer b = Payloads.allocate(2L * values.length);
        for (float v : values) {
            b.putShort(Half.fromFloat(v));
        }
        return Payloads.filled(b);
    }

    @Override
    public float[] decode(ByteBuffer payload, long[] shape) {
        int n = Codecs.count(shape);
        Codecs.expectLength(payload, 2L * n, "dense-f16");
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = Half.toFloat(payload.getShort());
        }
        return v;
    }
}
