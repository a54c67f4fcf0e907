package dev.keiryo.engine.train;

import dev.keiryo.engine.train.ConvFront.Conv;

/**
 * The element-wise passes of {@link ConvFront}'s convolutions over a chunk of {@code m} examples:
 * unrolling the input for the products and rolling the gradient back, max pooling with the bias
 * and activation, and the way back through them. Layouts: examples' activations example-major
 * ({@code m x channels x height x width}, as DL4J holds them), unrolled inputs one row per filter
 * weight ({@code k x m*positions}), forward products position-major ({@code m*positions x cout}),
 * gradients of the products channel-major ({@code cout x m*positions}).
 */
final class ConvKernels {
    private ConvKernels() {}

    /**
     * im2col for {@code m} examples of {@code in} (example-major, from {@code offset}): row {@code
     * (ci, ky, kx)}, column {@code (example, oy, ox)} holds {@code in[example][ci][oy+ky][ox+kx]}.
     */
    static void unroll(Conv c, float[] in, int offset, int m, float[] col) {
        int np = m * c.positions();
        for (int ci = 0; ci < c.cin; ci++) {
            for (int ky = 0; ky < c.kh; ky++) {
                for (int kx = 0; kx < c.kw; kx++) {
                    int row = ((ci * c.kh + ky) * c.kw + kx) * np;
                    for (int s = 0; s < m; s++) {
                        int src = offset + s * c.inSize() + (ci * c.h + ky) * c.w + kx;
                        int dst = row + s * c.positions();
                        for (int oy = 0; oy < c.ho; oy++) {
                            int a = src + oy * c.w;
                            int b = dst + oy * c.wo;
                            for (int ox = 0; ox < c.wo; ox++) {
                                col[b + ox] = in[a + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /** col2im: the gradient with respect to {@code m} examples' input, example-major, from the unrolled one. */
    static void roll(Conv c, float[] col, int m, float[] in) {
        int np = m * c.positions();
        java.util.Arrays.fill(in, 0, m * c.inSize(), 0f);
        for (int ci = 0; ci < c.cin; ci++) {
            for (int ky = 0; ky < c.kh; ky++) {
                for (int kx = 0; kx < c.kw; kx++) {
                    int row = ((ci * c.kh + ky) * c.kw + kx) * np;
                    for (int s = 0; s < m; s++) {
                        int dst = s * c.inSize() + (ci * c.h + ky) * c.w + kx;
                        int src = row + s * c.positions();
                        for (int oy = 0; oy < c.ho; oy++) {
                            int a = dst + oy * c.w;
                            int b = src + oy * c.wo;
                            for (int ox = 0; ox < c.wo; ox++) {
                                in[a + ox] += col[b + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Max pooling of {@code product} ({@code m x ho x wo x cout}) plus the bias, then the
     * activation, which gives the same values as activating first (ReLU is monotonic), into {@code
     * out} example-major. The bias is added before the comparisons, as in DL4J: rounding can make
     * two entries of a window equal only then, and the first maximum of each window wins.
     */
    static void maxPool(
            Conv c, float[] product, int m, float[] bias, float[] out, int offset, byte[] arg, int argOffset) {
        if (c.pool == 2) {
            maxPool2(c, product, m, bias, out, offset, arg, argOffset);
            return;
        }
        int k = c.pool;
        int cout = c.cout;
        int plane = c.hp * c.wp;
        for (int s = 0; s < m; s++) {
            for (int py = 0; py < c.hp; py++) {
                for (int px = 0; px < c.wp; px++) {
                    int base = ((s * c.ho + py * k) * c.wo + px * k) * cout;
                    int dst = s * c.outSize() + py * c.wp + px;
                    for (int o = 0; o < cout; o++) {
                        float b = bias[o];
                        float best = product[base + o] + b;
                        int at = 0;
                        for (int dy = 0; dy < k; dy++) {
                            for (int dx = 0; dx < k; dx++) {
                                float v = product[base + (dy * c.wo + dx) * cout + o] + b;
                                if (v > best) {
                                    best = v;
                                    at = dy * k + dx;
                                }
                            }
                        }
                        out[offset + dst + o * plane] = c.relu ? Math.max(best, 0f) : best;
                        arg[argOffset + dst + o * plane] = (byte) at;
                    }
                }
            }
        }
    }

    /**
     * {@link #maxPool} for 2x2 windows, without branches: on random-looking data the window's
     * maximum is anywhere, and mispredicted branches made the general loop four times slower.
     */
    static void maxPool2(
            Conv c, float[] product, int m, float[] bias, float[] out, int offset, byte[] arg, int argOffset) {
        int cout = c.cout;
        int row = c.wo * cout;
        int plane = c.hp * c.wp;
        boolean relu = c.relu;
        for (int s = 0; s < m; s++) {
            for (int py = 0; py < c.hp; py++) {
                for (int px = 0; px < c.wp; px++) {
                    int t = ((s * c.ho + 2 * py) * c.wo + 2 * px) * cout;
                    int dst = s * c.outSize() + py * c.wp + px;
                    for (int o = 0; o < cout; o++) {
                        float b = bias[o];
                        float v0 = product[t + o] + b;
                        float v1 = product[t + cout + o] + b;
                        float v2 = product[t + row + o] + b;
                        float v3 = product[t + row + cout + o] + b;
                        float upper = Math.max(v0, v1);
                        float lower = Math.max(v2, v3);
                        int upperAt = v1 > v0 ? 1 : 0;
                        int lowerAt = v3 > v2 ? 3 : 2;
                        int at = lower > upper ? lowerAt : upperAt;
                        float v = Math.max(upper, lower);
                        out[offset + dst + o * plane] = relu ? Math.max(v, 0f) : v;
                        arg[argOffset + dst + o * plane] = (byte) at;
                    }
                }
            }
        }
    }

    /** Bias and activation of {@code product} ({@code m x ho x wo x cout}) into {@code out} example-major. */
    static void activate(Conv c, float[] product, int m, float[] bias, float[] out, int offset) {
        int p = c.positions();
        int cout = c.cout;
        for (int s = 0; s < m; s++) {
            for (int j = 0; j < p; j++) {
                int src = (s * p + j) * cout;
                int dst = offset + s * c.outSize() + j;
                for (int o = 0; o < cout; o++) {
                    float v = product[src + o] + bias[o];
                    out[dst + o * p] = c.relu ? Math.max(v, 0f) : v;
                }
            }
        }
    }

    /**
     * The gradient with respect to a convolution's product ({@code cout x m x ho x wo}, into
     * {@code d}) from {@code g}, the one with respect to its output {@code out} (example-major):
     * through the pooling to each window's maximum (its position in {@code arg}) and through the
     * ReLU where the output is positive; adds each channel's sum to {@code db}, the bias gradient.
     */
    static void outputGradient(
            Conv c,
            float[] g,
            int gOffset,
            float[] out,
            int outOffset,
            float[] d,
            float[] db,
            byte[] arg,
            int argOffset,
            int m) {
        int p = c.positions();
        if (c.pool == 0) {
            for (int o = 0; o < c.cout; o++) {
                float sum = 0f;
                for (int s = 0; s < m; s++) {
                    int dst = (o * m + s) * p;
                    int src = s * c.outSize() + o * p;
                    for (int j = 0; j < p; j++) {
                        float v = !c.relu || out[outOffset + src + j] > 0f ? g[gOffset + src + j] : 0f;
                        d[dst + j] = v;
                        sum += v;
                    }
                }
                db[o] += sum;
            }
            return;
        }
        java.util.Arrays.fill(d, 0, c.cout * m * p, 0f);
        int k = c.pool;
        int plane = c.hp * c.wp;
        for (int o = 0; o < c.cout; o++) {
            float sum = 0f;
            for (int s = 0; s < m; s++) {
                int dst = (o * m + s) * p;
                int src = s * c.outSize() + o * plane;
                for (int py = 0; py < c.hp; py++) {
                    for (int px = 0; px < c.wp; px++) {
                        int j = src + py * c.wp + px;
                        if (c.relu && out[outOffset + j] <= 0f) {
                            continue;
                        }
                        int at = arg[argOffset + j] & 0xff;
                        d[dst + (py * k + at / k) * c.wo + px * k + at % k] = g[gOffset + j];
                        sum += g[gOffset + j];
                    }
                }
            }
            db[o] += sum;
        }
    }
}
