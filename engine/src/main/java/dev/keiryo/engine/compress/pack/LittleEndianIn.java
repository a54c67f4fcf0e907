package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked little-endian reads over a byte range. Running past the end means the declared
 * lengths inside the file disagree with each other, which is reported as a format problem instead
 * of an index exception.
 */
final class LittleEndianIn {
    private final ByteBuffer buf;

    LittleEndianIn(ByteBuffer slice) {
        buf = slice.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    LittleEndianIn(byte[] bytes, int offset, int length) {
        this(ByteBuffer.wrap(bytes, offset, length));
    }

    int u8(String what) {
        need(1, what);
        return buf.get() & 0xFF;
    }

    int u16(String what) {
        need(2, what);
        return buf.getShort() & 0xFFFF;
    }

    long u32(String what) {
        need(4, what);
        return buf.getInt() & 0xFFFF_FFFFL;
    }

    long u64(String what) {
        need(8, what);
        long v = buf.getLong();
        if (v < 0) {
            throw new PackFormatException(what + " is larger than 2^63");
        }
        return v;
    }

    String utf8(int length, String what) {
        return new String(bytes(length, what), StandardCharsets.UTF_8);
    }

    byte[] bytes(int length, String what) {
        need(length, what);
        byte[] b = new byte[length];
        buf.get(b);
        return b;
    }

    /** The next {@code length} bytes as their own little-endian buffer; this reader skips past them. */
    ByteBuffer slice(long length, String what) {
        need(length, what);
        ByteBuffer s = buf.slice().limit((int) length).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(buf.position() + (int) length);
        return s;
    }

    int remaining() {
        return buf.remaining();
    }

    private void need(long n, String what) {
        if (n < 0 || n > buf.remaining()) {
            throw new PackFormatException(what + " needs " + n + " bytes but only " + buf.remaining() + " remain");
        }
    }

    /** Reading a payload buffer directly: the same underflow rule for codecs. */
    static void require(ByteBuffer b, long n, String what) {
        if (n < 0 || n > b.remaining()) {
            throw new PackFormatException(what + " needs " + n + " bytes but only " + b.remaining() + " remain");
        }
    }
}
