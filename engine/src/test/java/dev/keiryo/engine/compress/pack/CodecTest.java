package dev.keiryo.engine.compress.pack;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every float32 encoding gives back its input bit for bit, whatever the zeros look like. */
class CodecTest {
    private static final List<TensorCodec> EXACT = List.of(
            Codecs.DENSE_F32,
            Codecs.SPARSE_BITMASK_F32,
            Codecs.SPARSE_RELATIVE_F32,
            new SparseRelativeCodec(4),
            new SparseRelativeCodec(8));

    static Stream<Arguments> tensors() {
        Random r = new Random(7);
        return Stream.of(
                Arguments.of("empty", new float[0]),
                Arguments.of("one zero", new float[] {0f}),
                Arguments.of("one value", new float[] {3.5f}),
                Arguments.of("all zero", new float[1000]),
                Arguments.of("no zero", random(r, 1001, 0)),
                Arguments.of("50% zeros", random(r, 777, 0.5)),
                Arguments.of("90% zeros", random(r, 3000, 0.9)),
                Arguments.of("99% zeros", random(r, 5000, 0.99)),
                Arguments.of("gap of 15", at(40, 0, 16, 39)),
                Arguments.of("gap of 16", at(40, 0, 17)),
                Arguments.of("gap of 255", at(600, 0, 256)),
                Arguments.of("gap of 256", at(600, 0, 257)),
                Arguments.of("gap of 1000 from the start", at(2000, 1000, 1001)),
                Arguments.of("long gaps, last position", at(70_000, 65_535, 69_999)),
                Arguments.of("specials", new float[] {
                    -0f,
                    Float.NaN,
                    0f,
                    Float.MIN_VALUE,
                    -Float.MAX_VALUE,
                    Float.POSITIVE_INFINITY,
                    Float.intBitsToFloat(0x7FC0_1234),
                    0f,
                    0f
                }));
    }

    /** Bit for bit; sparse encodings give zeros of either sign back as +0.0. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("tensors")
    void float32EncodingsAreExact(String name, float[] values) {
        long[] shape = {values.length};
        for (TensorCodec c : EXACT) {
            byte[] payload = c.encode(values, shape);
            float[] back = c.decode(le(payload), shape);
            float[] expected = c == Codecs.DENSE_F32 ? values : positiveZeros(values);
            assertArrayEquals(rawBits(expected), rawBits(back), c.id() + " " + c.describe(le(payload)) + " on " + name);
        }
    }

    @Test
    void negativeZerosAreZerosToSparseEncodings() {
        float[] v = {-0f, 1f, -0f, -0f, 0f, -0f, -0f, -0f, -0f};
        long[] shape = {v.length};
        assertEquals(2 + 4, Codecs.SPARSE_BITMASK_F32.encode(v, shape).length, "mask + one value");
        assertEquals(5 + 1 + 4, new SparseRelativeCodec(8).encode(v, shape).length, "header + one gap + one value");
    }

    @Test
    void sizesFollowTheDocumentedLayouts() {
        float[] v = at(100, 3, 50, 99); // 3 values; gaps 3, 46, 48
        assertEquals(400, Codecs.DENSE_F32.encode(v, new long[] {100}).length);
        assertEquals(200, Codecs.DENSE_F16.encode(v, new long[] {100}).length);
        assertEquals(13 + 12, Codecs.SPARSE_BITMASK_F32.encode(v, new long[] {100}).length);
        // 4 bits: 3, then 46 = two paddings (16 + 16) + 14, then 48 = three paddings + 0 -> 8 entries.
        assertEquals(8, SparseRelativeCodec.entries(v, 4));
        assertEquals(5 + 4 + 32, new SparseRelativeCodec(4).encode(v, new long[] {100}).length);
        assertEquals(5 + 3 + 12, new SparseRelativeCodec(8).encode(v, new long[] {100}).length);
        assertEquals(20, Codecs.SPARSE_RELATIVE_F32.encode(v, new long[] {100}).length, "picks the smaller width");
    }

    @Test
    void relativeIndexPaddingStoresZerosAtTheBridgedPositions() {
        byte[] p = new SparseRelativeCodec(4).encode(at(20, 16), new long[] {20});
        ByteBuffer b = le(p);
        assertEquals(4, b.get(0));
        assertEquals(2, b.getInt(1), "one padding entry, then the value");
        assertEquals(0x0F, b.get(5) & 0xFF, "gaps 15 and 0, packed low nibble first");
        assertEquals(0f, b.getFloat(6));
        assertEquals(1f, b.getFloat(10));
    }

    @Test
    void inconsistentPayloadsAreFormatErrors() {
        long[] shape = {10};
        assertThrows(PackFormatException.class, () -> Codecs.DENSE_F32.decode(le(new byte[39]), shape));
        byte[] mask = Codecs.SPARSE_BITMASK_F32.encode(at(10, 2), shape);
        mask[1] |= 0x08; // position 11 of a 10-element tensor
        assertThrows(PackFormatException.class, () -> Codecs.SPARSE_BITMASK_F32.decode(le(mask), shape));
        byte[] rel = new SparseRelativeCodec(8).encode(at(10, 2), shape);
        rel[5] = (byte) 200; // jumps past the end
        assertThrows(PackFormatException.class, () -> Codecs.SPARSE_RELATIVE_F32.decode(le(rel), shape));
        rel[0] = 5;
        assertThrows(PackFormatException.class, () -> Codecs.SPARSE_RELATIVE_F32.decode(le(rel), shape));
    }

    @Test
    void halfPrecisionRoundsToNearestEven() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Half.toFloat((short) h);
            if (!Float.isNaN(f)) {
                assertEquals(
                        h, Half.fromFloat(f) & 0xFFFF, "binary16 " + Integer.toHexString(h) + " must survive float32");
            }
        }
        Random r = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            // Half the draws uniform over the half range, half over all bit patterns (tiny and subnormal values).
            float f = i % 2 == 0 ? (r.nextFloat() - 0.5f) * 140000f : Float.intBitsToFloat(r.nextInt()) % 70000f;
            if (Float.isNaN(f)) {
                continue;
            }
            short h = Half.fromFloat(f);
            if (Float.isInfinite(Half.toFloat(h))) {
                assertTrue(Math.abs(f) >= 65520f, f + " is not past the largest half plus half an ulp");
                continue;
            }
            double err = Math.abs((double) Half.toFloat(h) - f);
            for (int d = -1; d <= 1; d += 2) {
                float other = Half.toFloat((short) (h + d));
                double otherErr = Math.abs((double) other - f);
                assertTrue(
                        err < otherErr
                                || (err == otherErr && (h & 1) == 0)
                                || Float.isInfinite(other)
                                || Float.isNaN(other),
                        f + " -> " + Half.toFloat(h) + " but " + other + " is nearer");
            }
        }
        assertEquals(Float.POSITIVE_INFINITY, Half.toFloat(Half.fromFloat(65520f)), "rounds past the largest half");
        assertEquals(65504f, Half.toFloat(Half.fromFloat(65519.99f)));
        assertEquals(0x1p-24f, Half.toFloat(Half.fromFloat(0x1.000002p-25f)), "just over half the smallest subnormal");
        assertEquals(0f, Half.toFloat(Half.fromFloat(0x1p-25f)), "a tie rounds to even (zero)");
    }

    @Test
    void textBlocksRoundTripCompressedAndPlain() {
        byte[] text = "{\"layers\":[1,2,3],\"layers2\":[1,2,3]}".repeat(50).getBytes(UTF_8);
        assertArrayEquals(text, TextBlocks.read(TextBlocks.deflate(text), true, "t"));
        assertArrayEquals(text, TextBlocks.read(text, false, "t"));
        assertEquals(0, TextBlocks.read(new byte[0], true, "t").length);
        byte[] broken = TextBlocks.deflate(text);
        broken[0]++; // declared length one more than the stream holds
        assertThrows(PackFormatException.class, () -> TextBlocks.inflate(broken, "t"));
    }

    static float[] random(Random r, int n, double zeros) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble() < zeros ? 0f : (float) r.nextGaussian();
        }
        return v;
    }

    /** {@code n} zeros except a 1, 2, 3... at the given positions. */
    static float[] at(int n, int... positions) {
        float[] v = new float[n];
        for (int i = 0; i < positions.length; i++) {
            v[positions[i]] = i + 1;
        }
        return v;
    }

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static float[] positiveZeros(float[] v) {
        float[] p = v.clone();
        for (int i = 0; i < p.length; i++) {
            p[i] = p[i] == 0f ? 0f : p[i];
        }
        return p;
    }

    private static int[] rawBits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }
}
