package dev.keiryo.engine.compress.pack;

import java.util.Arrays;
import java.util.zip.CRC32;

/** A growable little-endian byte sink; the whole format is little-endian like x86 and ARM memory. */
final class LittleEndianOut {
    private byte[] buf;
    private int size;

    LittleEndianOut(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    LittleEndianOut u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    LittleEndianOut u16(int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException("value " + v + " does not fit in 16 bits");
        }
        return u8(v).u8(v >>> 8);
    }

    LittleEndianOut u32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("value " + v + " does not fit in 32 bits");
        }
        return i32((int) v);
    }

    LittleEndianOut i32(int v) {
        return u8(v).u8(v >>> 8).u8(v >>> 16).u8(v >>> 24);
    }

    LittleEndianOut u64(long v) {
        return i32((int) v).i32((int) (v >>> 32));
    }

    /** Raw IEEE-754 bits, so NaN payloads and -0.0 survive unchanged. */
    LittleEndianOut f32(float v) {
        return i32(Float.floatToRawIntBits(v));
    }

    LittleEndianOut bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    /** CRC-32 (the zlib/PNG polynomial) of everything written so far. */
    int crc32() {
        CRC32 c = new CRC32();
        c.update(buf, 0, size);
        return (int) c.getValue();
    }

    int size() {
        return size;
    }

    /** The bytes written; the internal array itself when it is exactly full, to spare a copy of a large file. */
    byte[] toByteArray() {
        return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        long need = (long) size + more;
        if (need > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a packed model larger than 2 GB is not supported yet");
        }
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, 2L * buf.length)));
        }
    }
}
