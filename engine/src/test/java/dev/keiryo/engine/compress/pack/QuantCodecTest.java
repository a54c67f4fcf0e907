package dev.keiryo.engine.compress.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bit packing, N-bit codes, binary/ternary and codebooks: exact round trips and error bounds. */
class QuantCodecTest {
    private static final long[][] SHAPES = {{1}, {13}, {7, 5}, {4, 3, 2, 3}, {3, 1}};

    static ByteBuffer le(byte[] p) {
        return ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
    }

    static float[] gaussian(int n, long seed, double zeros) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble() < zeros ? (r.nextBoolean() ? 0f : -0f) : (float) (0.1 * r.nextGaussian());
        }
        return v;
    }

    /** Decoding through the registry (what a reader does) equals decoding through the writing instance. */
    static float[] roundTrip(TensorCodec c, float[] v, long[] shape) {
        byte[] p = c.encode(v, shape);
        float[] d = c.decode(le(p), shape);
        float[] viaRegistry = Codecs.byTag(c.tag()).decode(le(p), shape);
        assertArrayEquals(bits(d), bits(viaRegistry), c.id() + " decodes from its payload alone");
        return d;
    }

    static int[] bits(float[] f) {
        return Arrays.stream(toDouble(f))
                .mapToInt(x -> Float.floatToRawIntBits((float) x))
                .toArray();
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void bitPackingRoundTripsEveryWidthAndOddLength() {
        Random r = new Random(1);
        for (int b = 1; b <= 16; b++) {
            for (int n : new int[] {0, 1, 3, 7, 9, 13, 1001}) {
                int[] codes = r.ints(n, 0, 1 << b).toArray();
                byte[] p = BitPacking.pack(codes, n, b);
                assertEquals((n * b + 7) / 8, p.length);
                assertArrayEquals(codes, BitPacking.unpack(le(p), 0, n, b), b + " bits, " + n + " codes");
            }
        }
        // LSB first: 3-bit codes 1, 2, 3 are bits 001 010 011 from the low end.
        assertArrayEquals(new byte[] {(byte) 0b1101_0001, 0}, BitPacking.pack(new int[] {1, 2, 3}, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> BitPacking.pack(new int[] {4}, 1, 2));
    }

    @Test
    void affineCodesAreIntegerMultiplesOfTheScaleWithinHalfAStep() {
        for (long[] shape : SHAPES) {
            int n = Codecs.count(shape);
            float[] v = gaussian(n, n, 0.2);
            for (int axis = -1; axis < shape.length; axis++) {
                for (int b = 1; b <= 16; b++) {
                    for (boolean sym : new boolean[] {true, false}) {
                        if (sym && b == 1) {
                            continue;
                        }
                        AffineCodec c = AffineCodec.affine(b, sym, axis);
                        byte[] p = c.encode(v, shape);
                        float[] d = roundTrip(c, v, shape);
                        int[] ch = Channels.of(shape, axis < 0 ? Channels.PER_TENSOR : axis, n);
                        int channels = axis < 0 ? 1 : (int) shape[axis];
                        ByteBuffer in = le(p);
                        for (int i = 0; i < n; i++) {
                            float s = in.getFloat(7 + 4 * ch[i]);
                            int zp = sym ? 1 << (b - 1) : in.getInt(7 + 4 * channels + 4 * ch[i]);
                            int code = Math.round(d[i] / s) + zp;
                            String at = c.describe(le(p)) + " at " + i;
                            assertTrue(code >= (sym ? 1 : 0) && code < 1 << b, at);
                            assertEquals(
                                    Float.floatToRawIntBits(s * (float) (code - zp)),
                                    Float.floatToRawIntBits(d[i]) & (d[i] == 0 ? 0 : -1),
                                    at);
                            assertTrue(
                                    Math.abs(v[i] - d[i]) <= s / 2 * (1 + 1e-5) + 1e-12,
                                    at + ": error " + Math.abs(v[i] - d[i]) + " > " + s / 2);
                        }
                        if (sym) {
                            assertArrayEquals(p, c.encode(d, shape), "symmetric codes survive quantizing twice");
                        }
                    }
                }
            }
        }
    }

    @Test
    void asymmetricCodesKeepZeroExactlyZero() {
        float[] v = gaussian(500, 3, 0.5);
        float[] d = roundTrip(AffineCodec.affine(3, false, -1), v, new long[] {500});
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 0) {
                assertEquals(0f, d[i], 0f);
            }
        }
    }

    @Test
    void binaryIsSignTimesMeanMagnitudePerChannel() {
        long[] shape = {6, 4};
        float[] v = gaussian(24, 5, 0);
        float[] d = roundTrip(AffineCodec.binary(1), v, shape);
        for (int col = 0; col < 4; col++) {
            double mean = 0;
            for (int row = 0; row < 6; row++) {
                mean += Math.abs(v[row * 4 + col]) / 6;
            }
            for (int row = 0; row < 6; row++) {
                int i = row * 4 + col;
                assertEquals(v[i] >= 0 ? (float) mean : -(float) mean, d[i], 1e-7f);
            }
        }
        assertEquals(3 + 4 + 16 + 3, AffineCodec.binary(1).encode(v, shape).length, "header, 4 scales, 24 bits");
    }

    @Test
    void ternaryUsesTheTwnThresholdAndScale() {
        float[] v = gaussian(1000, 6, 0);
        float[] d = roundTrip(AffineCodec.ternary(-1), v, new long[] {1000});
        double mean = 0;
        for (float x : v) {
            mean += Math.abs(x) / v.length;
        }
        double t = 0.7 * mean;
        float alpha = Arrays.stream(toDouble(d))
                .filter(x -> x > 0)
                .mapToObj(x -> (float) x)
                .findFirst()
                .orElseThrow();
        for (int i = 0; i < v.length; i++) {
            float expect = v[i] > t ? alpha : v[i] < -t ? -alpha : 0f;
            assertEquals(expect, d[i], 0f);
        }
        byte[] bad = AffineCodec.ternary(-1).encode(new float[] {1f}, new long[] {1});
        bad[bad.length - 1] = 3;
        assertThrows(PackFormatException.class, () -> Codecs.byTag(18).decode(le(bad), new long[] {1}));
    }

    @Test
    void codebookMapsEveryValueToItsNearestCentroidDeterministically() {
        for (int b = 1; b <= 8; b++) {
            float[] v = gaussian(3001, b, 0);
            CodebookCodec c = CodebookCodec.dense(b);
            byte[] p = c.encode(v, new long[] {3001});
            assertArrayEquals(p, c.encode(v, new long[] {3001}), "deterministic");
            float[] d = roundTrip(c, v, new long[] {3001});
            float[] centroids = new float[1 << b];
            for (int j = 0; j < centroids.length; j++) {
                centroids[j] = le(p).getFloat(3 + 4 * j);
            }
            for (int i = 0; i < v.length; i++) {
                assertEquals(centroids[KMeans1D.nearest(v[i], centroids)], d[i], 0f);
            }
            assertEquals(3 + 4 * (1 << b) + (3001 * b + 7) / 8, p.length);
        }
    }

    @Test
    void sparseCodebookKeepsZerosAndMatchesEveryGapWidth() {
        long[] shape = {300, 100};
        float[] v = gaussian(30_000, 9, 0.9);
        float[] auto = roundTrip(CodebookCodec.sparse(5, 0), v, shape);
        for (int gb = 1; gb <= 8; gb++) {
            assertArrayEquals(bits(auto), bits(roundTrip(CodebookCodec.sparse(5, gb), v, shape)), gb + "-bit gaps");
        }
        for (int i = 0; i < v.length; i++) {
            assertEquals(v[i] == 0, auto[i] == 0, "zero exactly where the input is zero, at " + i);
        }
        assertTrue(CodebookCodec.sparse(5, 0).encode(v, shape).length
                < CodebookCodec.dense(5).encode(v, shape).length / 3);
        float[] none = new float[17];
        assertArrayEquals(none, roundTrip(CodebookCodec.sparse(3, 0), none, new long[] {17}));
    }

    @Test
    void huffmanRoundTripsSkewedUniformAndSingleSymbolStreams() {
        Random r = new Random(4);
        int n = 20_001;
        int[] skewed = new int[n];
        for (int i = 0; i < n; i++) {
            skewed[i] = Math.min(31, (int) (-Math.log(1 - r.nextDouble()) * 2));
        }
        int[] uniform = r.ints(n, 0, 256).toArray();
        int[] single = new int[n];
        Arrays.fill(single, 5);
        for (int[] s : new int[][] {skewed, uniform, single, {}}) {
            int alphabet = s == skewed ? 32 : 256;
            int[] len = Huffman.lengths(s, s.length, alphabet);
            byte[] coded = Huffman.encode(s, s.length, len);
            assertArrayEquals(s, Huffman.decode(le(coded), 0, coded.length, s.length, len));
        }
        assertTrue(
                Huffman.encode(skewed, n, Huffman.lengths(skewed, n, 32)).length < n * 5 / 8.0 * 0.7,
                "skewed stream shrinks");
    }

    @Test
    void huffmanWrapperDecodesExactlyAsItsInnerCodec() {
        long[] shape = {784, 300};
        float[] v = gaussian(784 * 300, 2, 0.9);
        for (TensorCodec inner : new TensorCodec[] {
            CodebookCodec.sparse(5, 0),
            CodebookCodec.sparse(4, 5),
            CodebookCodec.dense(6),
            AffineCodec.affine(8, true, 1),
            AffineCodec.affine(12, false, -1),
            AffineCodec.ternary(0)
        }) {
            HuffmanCodec h = new HuffmanCodec(inner);
            float[] direct = inner.decode(le(inner.encode(v, shape)), shape);
            assertArrayEquals(bits(direct), bits(roundTrip(h, v, shape)), inner.id());
        }
        int plain = CodebookCodec.sparse(5, 0).encode(v, shape).length;
        int coded = new HuffmanCodec(CodebookCodec.sparse(5, 0)).encode(v, shape).length;
        assertTrue(coded < plain, coded + " >= " + plain);
        // A uniform code stream is left raw: the wrapper then costs only its headers.
        float[] flat = gaussian(4096, 8, 0);
        int raw = AffineCodec.affine(16, true, -1).encode(flat, new long[] {4096}).length;
        assertTrue(
                new HuffmanCodec(AffineCodec.affine(16, true, -1)).encode(flat, new long[] {4096}).length <= raw + 13);
    }

    @Test
    void damagedPayloadsAreReportedNotMisread() {
        long[] shape = {50};
        float[] v = gaussian(50, 1, 0.5);
        for (TensorCodec c : new TensorCodec[] {
            AffineCodec.affine(5, false, 0),
            CodebookCodec.dense(3),
            CodebookCodec.sparse(3, 0),
            new HuffmanCodec(CodebookCodec.sparse(3, 0))
        }) {
            byte[] p = c.encode(v, shape);
            assertThrows(PackFormatException.class, () -> c.decode(le(Arrays.copyOf(p, p.length - 1)), shape), c.id());
            assertThrows(PackFormatException.class, () -> c.decode(le(Arrays.copyOf(p, p.length + 1)), shape), c.id());
        }
        assertSame(Codecs.HUFFMAN, Codecs.byTag(48));
    }
}
