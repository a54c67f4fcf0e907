package dev.keiryo.engine.compress.pack;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The configuration and metadata sections: UTF-8 JSON, zlib-compressed behind its uncompressed
 * length (u32). JSON repeats the same keys for every layer, so it shrinks several times; without
 * the compression flag a section is the plain JSON.
 */
final class TextBlocks {
    /** Generous for any real configuration, small enough that a crafted length cannot exhaust memory. */
    static final int MAX_TEXT_BYTES = 256 << 20;

    private TextBlocks() {}

    static byte[] deflate(byte[] text) {
        if (text.length == 0) {
            return text; // an empty section means "absent"; no header needed
        }
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            d.setInput(text);
            d.finish();
            LittleEndianOut out = new LittleEndianOut(text.length / 4 + 64);
            out.u32(text.length);
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                int n = d.deflate(buf);
                out.bytes(Arrays.copyOf(buf, n));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    static byte[] inflate(byte[] section, String what) {
        if (section.length == 0) {
            return section;
        }
        LittleEndianIn in = new LittleEndianIn(section, 0, section.length);
        long size = in.u32(what + " length");
        if (size > MAX_TEXT_BYTES) {
            throw new PackFormatException(what + " claims " + size + " bytes of text, more than any model needs");
        }
        Inflater inf = new Inflater();
        try {
            inf.setInput(section, 4, section.length - 4);
            byte[] text = new byte[(int) size];
            int n = 0;
            while (n < text.length && !inf.finished()) {
                int got = inf.inflate(text, n, text.length - n);
                if (got == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != text.length || !inf.finished() || inf.getRemaining() != 0) {
                throw new PackFormatException(what + " does not decompress to its declared " + size + " bytes");
            }
            return text;
        } catch (DataFormatException e) {
            throw new PackFormatException(what + " is not a valid zlib stream (" + e.getMessage() + ")");
        } finally {
            inf.end();
        }
    }

    /** Kept for completeness of the format: files without the compression flag store plain text. */
    static byte[] read(byte[] section, boolean deflated, String what) {
        return deflated ? inflate(section, what) : section;
    }
}
