package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;

/**
 * A codec whose payload is a header followed by bit-packed code streams (each starting on a byte).
 * The Huffman wrapper (tag 48) entropy-codes those streams symbol by symbol, which works where
 * byte-wise compression cannot: a 5-bit code stream has no byte structure.
 */
public interface CodeStreams {

    /**
     * Where the streams are in one of this codec's payloads.
     *
     * @param headerBytes bytes before the first stream
     * @param counts codes in each stream, in payload order
     * @param bits width of each stream's codes
     */
    record Layout(int headerBytes, int[] counts, int[] bits) {
        long payloadBytes() {
            long n = headerBytes;
            for (int i = 0; i < counts.length; i++) {
                n += BitPacking.bytes(counts[i], bits[i]);
            }
            return n;
        }
    }

    /** The layout of {@code payload} (positioned at its start), read from its header. */
    Layout layout(ByteBuffer payload, long[] shape);
}
