package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;

/**
 * One way of storing a tensor's values, identified in the file by a 16-bit tag. Adding an encoding
 * (N-bit codes with scales, k-means codebooks, entropy coding) means adding one implementation and
 * registering it in {@link Codecs}; the container, checksum and reader stay as they are.
 *
 * <p>Rules that keep files readable for ever:
 * <ul>
 *   <li>{@link #tag()} is permanent: never renumber or reuse one, and list it in docs/kpack.md.</li>
 *   <li>{@link #decode} depends only on the payload and the shape, never on how this instance was
 *       configured: a codec with settings (bit width, per-channel axis) writes them into its payload,
 *       so the registry's single instance can decode every file.</li>
 *   <li>Values are float32 in row-major (C) order of the shape; payload numbers are little-endian.</li>
 * </ul>
 */
public interface TensorCodec {

    /** The tag stored in the tensor table. */
    int tag();

    /** A short stable name for reports and options, e.g. {@code dense-f32}. */
    String id();

    /** The payload for these values (row-major, {@code values.length} = product of {@code shape}). */
    byte[] encode(float[] values, long[] shape);

    /**
     * The values back from a little-endian payload that holds exactly this tensor. A payload longer
     * or shorter than its own layout says is an error, so stray bytes can never hide in a file.
     *
     * @throws PackFormatException if the payload is inconsistent with itself or the shape
     */
    float[] decode(ByteBuffer payload, long[] shape);

    /** Settings the payload records (for reports), e.g. "8-bit gaps"; empty when there are none. */
    default String describe(ByteBuffer payload) {
        return "";
    }
}
