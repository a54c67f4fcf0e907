package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;

/** Tag 1: every value as a little-endian IEEE-754 float32; the baseline every other encoding beats. */
final class DenseF32Codec implements TensorCodec {

    @Override
    public int tag() {
        return 1;
    }

    @Override
    public String id() {
        return "dense-f32";
    }

    @Override
    public byte[] encode(float[] values, long[] shape) {
        ByteBuffer b = Payloads.allocate(4L * values.length);
        b.asFloatBuffer().put(values);
        return Payloads.filled(b);
    }

    @Override
    public float[] decode(ByteBuffer payload, long[] shape) {
        int n = Codecs.count(shape);
        Codecs.expectLength(payload, 4L * n, "dense-f32");
        float[] v = new float[n];
        payload.asFloatBuffer().get(v);
        return v;
    }
}
