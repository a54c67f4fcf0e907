package dev.keiryo.engine.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of a valid file, the damage files really suffer and the lies a crafted file
 * tells: bit flips, bytes set to edge values, truncation, length fields set huge (as 32- and 64-bit
 * integers of either byte order and as protobuf varints), duplicated, removed and inserted ranges,
 * and for text duplicated lines and numbers replaced by extreme ones. Case {@code i} of seed
 * {@code s} is always the same bytes.
 */
final class Mutator {
    private static final long[] HUGE = {
        0x7fffffffL, 0xffffffffL, 0x80000000L, 0x40000000L, 0x10000L, 0x7fffffffffffffffL, -1L, 1L << 40
    };
    private static final String[] NUMBERS = {
        "99999999999", "2147483647", "-2147483648", "-1", "0", "1e309", "-1e309", "NaN", "1e-320", "9.9e99", "00"
    };
    private static final int OPS = 10;

    private Mutator() {}

    /** Case {@code index}'s mutation of {@code valid}: one to four operations. */
    static byte[] mutate(byte[] valid, long seed, long index) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        byte[] b = valid.clone();
        int n = 1 + r.nextInt(r.nextInt(4) + 1);
        for (int i = 0; i < n; i++) {
            b = once(b, r);
        }
        return b;
    }

    private static byte[] once(byte[] b, SplittableRandom r) {
        if (b.length == 0) {
            return new byte[] {(byte) r.nextInt(256)};
        }
        switch (r.nextInt(OPS)) {
            case 0 -> {
                int flips = 1 + r.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int bit = r.nextInt(b.length * 8);
                    b[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                return b;
            }
            case 1 -> {
                int[] edge = {0, 0xff, 0x7f, 0x80, 0x01, r.nextInt(256)};
                b[offset(b, r)] = (byte) edge[r.nextInt(edge.length)];
                return b;
            }
            case 2 -> {
                return Arrays.copyOf(b, r.nextInt(b.length));
            }
            case 3 -> {
                return huge(b, r);
            }
            case 4 -> {
                int from = r.nextInt(b.length);
                int len = 1 + r.nextInt(Math.min(b.length - from, 4096));
                int at = r.nextBoolean() ? from + len : r.nextInt(b.length + 1);
                return splice(b, at, 0, Arrays.copyOfRange(b, from, from + len));
            }
            case 5 -> {
                int from = r.nextInt(b.length);
                return splice(b, from, 1 + r.nextInt(Math.min(b.length - from, 256)), new byte[0]);
            }
            case 6 -> {
                byte[] junk = new byte[1 + r.nextInt(16)];
                for (int i = 0; i < junk.length; i++) {
                    junk[i] = (byte) r.nextInt(256);
                }
                return splice(b, r.nextInt(b.length + 1), 0, junk);
            }
            case 7 -> {
                return lines(b, r);
            }
            case 8 -> {
                return number(b, r);
            }
            default -> {
                // A few bytes from elsewhere in the file: plausible tags and names in the wrong place.
                int from = r.nextInt(b.length);
                int len = 1 + r.nextInt(Math.min(b.length - from, 8));
                int at = r.nextInt(b.length);
                System.arraycopy(b, from, b, at, Math.min(len, b.length - at));
                return b;
            }
        }
    }

    /** Offsets near the start hold the headers and length fields of most formats: favour them. */
    private static int offset(byte[] b, SplittableRandom r) {
        return r.nextBoolean() ? r.nextInt(Math.min(b.length, 64)) : r.nextInt(b.length);
    }

    private static byte[] huge(byte[] b, SplittableRandom r) {
        long v = HUGE[r.nextInt(HUGE.length)];
        int at = offset(b, r);
        int kind = r.nextInt(5);
        if (kind == 4) {
            // A protobuf varint length: replaces one byte with up to ten.
            ByteArrayOutputStream varint = new ByteArrayOutputStream();
            long x = v;
            while ((x & ~0x7fL) != 0) {
                varint.write((int) ((x & 0x7f) | 0x80));
                x >>>= 7;
            }
            varint.write((int) x);
            return splice(b, at, 1, varint.toByteArray());
        }
        int width = kind < 2 ? 4 : 8;
        ByteBuffer buf = ByteBuffer.allocate(8).order(kind % 2 == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        if (width == 4) {
            buf.putInt((int) v);
        } else {
            buf.putLong(v);
        }
        System.arraycopy(buf.array(), 0, b, at, Math.min(width, b.length - at));
        return b;
    }

    private static byte[] lines(byte[] b, SplittableRandom r) {
        List<String> lines = new ArrayList<>(List.of(new String(b, StandardCharsets.ISO_8859_1).split("\n", -1)));
        int i = r.nextInt(lines.size());
        switch (r.nextInt(3)) {
            case 0 -> lines.add(i, lines.get(i));
            case 1 -> lines.remove(i);
            default -> {
                int j = r.nextInt(lines.size());
                String t = lines.get(i);
                lines.set(i, lines.get(j));
                lines.set(j, t);
            }
        }
        return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] number(byte[] b, SplittableRandom r) {
        int start = r.nextInt(b.length);
        while (start < b.length && !Character.isDigit(b[start])) {
            start++;
        }
        if (start == b.length) {
            return b;
        }
        int end = start;
        while (end < b.length && (Character.isDigit(b[end]) || b[end] == '.')) {
            end++;
        }
        byte[] n = NUMBERS[r.nextInt(NUMBERS.length)].getBytes(StandardCharsets.US_ASCII);
        return splice(b, start, end - start, n);
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }
}
