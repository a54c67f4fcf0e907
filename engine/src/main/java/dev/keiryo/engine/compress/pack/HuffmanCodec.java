package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Tag 48 {@code huffman}: canonical Huffman coding of another codec's code streams (codebook
 * indices, relative-index gaps, N-bit codes of up to 8 bits), the last stage of Deep Compression.
 * Lossless over the inner payload, so a tensor decodes exactly as the inner codec would.
 *
 * <p>Payload: u16 inner tag, u32 header length, the inner header, u8 stream count, then per stream
 * u8 method (0 raw, 1 Huffman), u8 bits, u32 count, and either the raw packed codes (method 0) or
 * 2^bits u8 code lengths, u32 coded length and the coded bits (method 1). Decoding re-packs every
 * stream at its width behind the header and hands that inner payload to the inner codec.
 */
public final class HuffmanCodec implements TensorCodec {
    public static final int TAG = 48;
    private static final int RAW = 0;
    private static final int CODED = 1;

    private final TensorCodec inner;

    /** @param inner the codec whose streams to code; it must lay its payload out as {@link CodeStreams} */
    public HuffmanCodec(TensorCodec inner) {
        if (!(inner instanceof CodeStreams) || inner.tag() == TAG) {
            throw new IllegalArgumentException(inner.id() + " has no code streams to entropy-code");
        }
        this.inner = inner;
    }

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public String id() {
        return "huffman";
    }

    @Override
    public byte[] encode(float[] values, long[] shape) {
        byte[] p = inner.encode(values, shape);
        ByteBuffer in = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
        CodeStreams.Layout l = ((CodeStreams) inner).layout(in, shape);
        LittleEndianOut out = new LittleEndianOut(p.length);
        out.u16(inner.tag())
                .u32(l.headerBytes())
                .bytes(Arrays.copyOf(p, l.headerBytes()))
                .u8(l.counts().length);
        int at = l.headerBytes();
        for (int s = 0; s < l.counts().length; s++) {
            int count = l.counts()[s];
            int bits = l.bits()[s];
            int rawBytes = (int) BitPacking.bytes(count, bits);
            int[] symbols = BitPacking.unpack(in, at, count, bits);
            int[] len = bits <= 8 ? Huffman.lengths(symbols, count, 1 << bits) : null;
            // Huffman only where it pays for its table; raw otherwise (uniform or tiny streams).
            boolean code = len != null && (1 << bits) + 4 + Huffman.codedBytes(symbols, count, len) < rawBytes;
            out.u8(code ? CODED : RAW).u8(bits).u32(count);
            if (code) {
                for (int x : len) {
                    out.u8(x);
                }
                byte[] coded = Huffman.encode(symbols, count, len);
                out.u32(coded.length).bytes(coded);
            } else {
                out.bytes(Arrays.copyOfRange(p, at, at + rawBytes));
            }
            at += rawBytes;
        }
        return out.toByteArray();
    }

    @Override
    public float[] decode(ByteBuffer payload, long[] shape) {
        int base = payload.position();
        int end = payload.limit();
        LittleEndianIn.require(payload, 6, "huffman header");
        int innerTag = payload.getShort(base) & 0xFFFF;
        TensorCodec c = Codecs.byTag(innerTag);
        if (innerTag == TAG || !(c instanceof CodeStreams)) {
            throw new PackFormatException("huffman wraps encoding tag " + innerTag + ", which has no code streams");
        }
        long head = payload.getInt(base + 2) & 0xFFFF_FFFFL;
        int at = base + 6;
        need(at, head + 1, end, "inner header");
        LittleEndianOut inner = new LittleEndianOut((int) head * 2);
        for (int i = 0; i < head; i++) {
            inner.u8(payload.get(at + i));
        }
        at += (int) head;
        int streams = payload.get(at++) & 0xFF;
        for (int s = 0; s < streams; s++) {
            need(at, 6, end, "stream header");
            int method = payload.get(at) & 0xFF;
            int bits = payload.get(at + 1) & 0xFF;
            long count = payload.getInt(at + 2) & 0xFFFF_FFFFL;
            at += 6;
            if (bits < 1
                    || bits > 16
                    || count > Integer.MAX_VALUE - 8
                    || method > CODED
                    || (method == CODED && bits > 8)) {
                throw new PackFormatException("huffman stream " + s + " header is invalid");
            }
            if (method == RAW) {
                long raw = BitPacking.bytes(count, bits);
                need(at, raw, end, "raw stream");
                for (int i = 0; i < raw; i++) {
                    inner.u8(payload.get(at + i));
                }
                at += (int) raw;
                continue;
            }
            int alphabet = 1 << bits;
            need(at, alphabet + 4L, end, "code lengths");
            int[] len = new int[alphabet];
            for (int i = 0; i < alphabet; i++) {
                len[i] = payload.get(at + i) & 0xFF;
            }
            at += alphabet;
            long coded = payload.getInt(at) & 0xFFFF_FFFFL;
            at += 4;
            need(at, coded, end, "coded stream");
            int[] symbols = Huffman.decode(payload, at, (int) coded, (int) count, len);
            at += (int) coded;
            inner.bytes(BitPacking.pack(symbols, (int) count, bits));
        }
        if (at != end) {
            throw new PackFormatException("huffman payload has " + (end - at) + " bytes after its last stream");
        }
        return c.decode(ByteBuffer.wrap(inner.toByteArray()).order(ByteOrder.LITTLE_ENDIAN), shape);
    }

    private static void need(int at, long n, int end, String what) {
        if (at + n > end) {
            throw new PackFormatException("huffman payload ends inside its " + what);
        }
    }

    @Override
    public String describe(ByteBuffer payload) {
        if (payload.remaining() < 2) {
            return "";
        }
        TensorCodec c = Codecs.byTag(payload.getShort(payload.position()) & 0xFFFF);
        return "of " + (c == null ? "unknown encoding" : c.id());
    }
}
