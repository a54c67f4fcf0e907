package dev.keiryo.engine.compress.pack;

/**
 * IEEE-754 binary16 conversions. Java 17 has no {@code Float.floatToFloat16} (Java 20 added it),
 * and going through an ND4J HALF array would allocate native memory for every tensor.
 */
final class Half {
    private Half() {}

    /** Exact: every binary16 value is a float32 value. */
    static float toFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mant << 13));
        }
        if (exp == 0) {
            // Subnormal (or zero): mant * 2^-24, exactly representable in float32.
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Rounds to nearest, ties to even, like hardware conversions; overflow gives infinity. */
    static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7F_FFFF;
        if (exp == 0xFF) {
            // Infinity stays infinity; NaN keeps its top payload bits and stays a (quiet) NaN.
            return (short) (sign | 0x7C00 | (mant == 0 ? 0 : 0x200 | (mant >>> 13)));
        }
        int e = exp - 112;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e >= 1) {
            int h = (e << 10) | (mant >>> 13);
            int rest = mant & 0x1FFF;
            if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0)) {
                h++; // a carry into the exponent is right, up to and including infinity
            }
            return (short) (sign | h);
        }
        if (e < -10) {
            return (short) sign; // below half the smallest subnormal: rounds to zero
        }
        int m = mant | 0x80_0000;
        int shift = 14 - e;
        int h = m >>> shift;
        int rest = m & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (h & 1) != 0)) {
            h++; // may become the smallest normal number, which is the right encoding too
        }
        return (short) (sign | h);
    }
}
