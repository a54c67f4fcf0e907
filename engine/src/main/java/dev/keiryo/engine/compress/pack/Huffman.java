package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;
import java.util.PriorityQueue;

/**
 * Canonical Huffman coding of small-alphabet symbol streams (at most 256 symbols). Only code
 * lengths travel in the file; codes follow from them as in DEFLATE (RFC 1951, 3.2.2): shorter
 * codes first, equal lengths by symbol. Code bits go most significant first into a byte string
 * filled LSB first.
 */
public final class Huffman {
    /** Longest code allowed; deeper trees (astronomically skewed streams) are stored raw instead. */
    public static final int MAX_LENGTH = 24;

    private Huffman() {}

    /** Code length per symbol (0 = unused), or null when a code would exceed {@link #MAX_LENGTH}. */
    public static int[] lengths(int[] symbols, int count, int alphabet) {
        long[] freq = new long[alphabet];
        for (int i = 0; i < count; i++) {
            freq[symbols[i]]++;
        }
        int[] len = new int[alphabet];
        int used = 0;
        for (long f : freq) {
            used += f > 0 ? 1 : 0;
        }
        if (used == 1) {
            // A lone symbol still needs one bit per occurrence so the decoder can count them.
            for (int s = 0; s < alphabet; s++) {
                len[s] = freq[s] > 0 ? 1 : 0;
            }
            return len;
        }
        int nodes = alphabet * 2;
        int[] parent = new int[nodes];
        // Ties broken by node id so the tree, and hence the file, is deterministic.
        PriorityQueue<long[]> q =
                new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (int s = 0; s < alphabet; s++) {
            if (freq[s] > 0) {
                q.add(new long[] {freq[s], s});
            }
        }
        int next = alphabet;
        while (q.size() > 1) {
            long[] a = q.poll();
            long[] b = q.poll();
            parent[(int) a[1]] = next;
            parent[(int) b[1]] = next;
            q.add(new long[] {a[0] + b[0], next++});
        }
        int root = next - 1;
        for (int s = 0; s < alphabet; s++) {
            if (freq[s] > 0) {
                int d = 0;
                for (int x = s; x != root; x = parent[x]) {
                    d++;
                }
                if (d > MAX_LENGTH) {
                    return null;
                }
                len[s] = d;
            }
        }
        return len;
    }

    /** Canonical codes for the lengths. */
    static int[] codes(int[] len) {
        int[] blCount = new int[MAX_LENGTH + 1];
        for (int l : len) {
            blCount[l]++;
        }
        blCount[0] = 0;
        int[] nextCode = new int[MAX_LENGTH + 2];
        int code = 0;
        for (int b = 1; b <= MAX_LENGTH; b++) {
            code = (code + blCount[b - 1]) << 1;
            nextCode[b] = code;
        }
        int[] codes = new int[len.length];
        for (int s = 0; s < len.length; s++) {
            if (len[s] != 0) {
                codes[s] = nextCode[len[s]]++;
            }
        }
        return codes;
    }

    /** Bytes of the coded stream. */
    public static long codedBytes(int[] symbols, int count, int[] len) {
        long bits = 0;
        for (int i = 0; i < count; i++) {
            bits += len[symbols[i]];
        }
        return (bits + 7) / 8;
    }

    public static byte[] encode(int[] symbols, int count, int[] len) {
        int[] codes = codes(len);
        byte[] out = new byte[(int) codedBytes(symbols, count, len)];
        long bit = 0;
        for (int i = 0; i < count; i++) {
            int s = symbols[i];
            for (int b = len[s] - 1; b >= 0; b--, bit++) {
                if (((codes[s] >>> b) & 1) != 0) {
                    out[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
                }
            }
        }
        return out;
    }

    /**
     * {@code count} symbols from exactly {@code bytes} bytes at absolute index {@code at}; bits
     * left over must be fewer than 8 and zero, so a stream has one valid encoding.
     */
    public static int[] decode(ByteBuffer in, int at, int bytes, int count, int[] len) {
        int[] perLength = new int[MAX_LENGTH + 1];
        for (int l : len) {
            if (l < 0 || l > MAX_LENGTH) {
                throw new PackFormatException("a Huffman code length of " + l + " bits is not allowed");
            }
            perLength[l]++;
        }
        perLength[0] = 0;
        long kraft = 0;
        for (int l = 1; l <= MAX_LENGTH; l++) {
            kraft += (long) perLength[l] << (MAX_LENGTH - l);
        }
        if (kraft > 1L << MAX_LENGTH) {
            throw new PackFormatException("Huffman code lengths are over-subscribed");
        }
        int[] sorted = new int[len.length];
        int[] offset = new int[MAX_LENGTH + 2];
        for (int l = 1; l <= MAX_LENGTH; l++) {
            offset[l + 1] = offset[l] + perLength[l];
        }
        for (int s = 0; s < len.length; s++) {
            if (len[s] != 0) {
                sorted[offset[len[s]]++] = s;
            }
        }
        int[] out = new int[count];
        long bit = 0;
        long limit = 8L * bytes;
        for (int i = 0; i < count; i++) {
            int code = 0;
            int first = 0;
            int index = 0;
            int l = 1;
            for (; ; l++) {
                if (l > MAX_LENGTH || bit >= limit) {
                    throw new PackFormatException(
                            "Huffman stream is damaged or shorter than its " + count + " symbols");
                }
                code |= (in.get(at + (int) (bit >>> 3)) >>> (bit & 7)) & 1;
                bit++;
                int n = perLength[l];
                if (code - n < first) {
                    out[i] = sorted[index + code - first];
                    break;
                }
                index += n;
                first = (first + n) << 1;
                code <<= 1;
            }
        }
        if (limit - bit >= 8) {
            throw new PackFormatException("Huffman stream has " + (limit - bit) / 8 + " unused bytes");
        }
        for (; bit < limit; bit++) {
            if (((in.get(at + (int) (bit >>> 3)) >>> (bit & 7)) & 1) != 0) {
                throw new PackFormatException("Huffman stream has stray bits after its last symbol");
            }
        }
        return out;
    }
}
