package dev.keiryo.engine.compress.pack;

import dev.keiryo.engine.api.KeiryoException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Checks a file's container before anything inside it is trusted, in an order that gives the most
 * useful message: magic (is it ours?), version (can we read it?), preamble checksum (are its
 * section lengths trustworthy?), length (truncated, and where?), whole-file checksum (damaged?).
 */
final class PackParser {
    private final byte[] b;
    private final Path file;

    private PackParser(byte[] bytes, Path file) {
        this.b = bytes;
        this.file = file;
    }

    static PackContents parse(byte[] bytes, Path file) {
        return new PackParser(bytes, file).parse();
    }

    private PackContents parse() {
        checkMagic();
        int version = u16(8);
        if (version > PackFormat.VERSION) {
            throw fail("was written by a newer Keiryo (pack format version " + version + "; this Keiryo reads up to "
                    + PackFormat.VERSION + "); upgrade Keiryo to read it.");
        }
        if (version < 1) {
            throw damaged("its format version is " + version + ", which no Keiryo writes");
        }
        if (b.length < PackFormat.PREAMBLE_BYTES) {
            throw fail("is truncated: it ends after " + b.length + " bytes, inside its " + PackFormat.PREAMBLE_BYTES
                    + "-byte preamble, so everything after is missing; copy or write the file again.");
        }
        if (crc(0, PackFormat.PREAMBLE_BYTES - 4) != i32(PackFormat.PREAMBLE_BYTES - 4)) {
            throw damaged("checksum mismatch in its preamble (the first " + PackFormat.PREAMBLE_BYTES + " bytes)");
        }
        int flags = u16(10);
        if ((flags & ~PackFormat.KNOWN_FLAGS) != 0) {
            throw fail("was written by a newer Keiryo (it uses flags 0x"
                    + Integer.toHexString(flags & ~PackFormat.KNOWN_FLAGS)
                    + " this Keiryo does not know); upgrade Keiryo to read it.");
        }
        long[] sections = {u64(12), u64(20), u64(28)};
        checkLength(sections);
        int end = b.length - PackFormat.CHECKSUM_BYTES;
        int stored = i32(end);
        int computed = crc(0, end);
        if (stored != computed) {
            throw damaged("checksum mismatch (stored " + hex(stored) + ", computed " + hex(computed) + ")");
        }
        int at = PackFormat.PREAMBLE_BYTES;
        byte[] config = Arrays.copyOfRange(b, at, at += (int) sections[0]);
        byte[] meta = Arrays.copyOfRange(b, at, at += (int) sections[1]);
        boolean deflated = (flags & PackFormat.FLAG_TEXT_DEFLATED) != 0;
        try {
            String configJson =
                    new String(TextBlocks.read(config, deflated, "configuration section"), StandardCharsets.UTF_8);
            byte[] metaJson = TextBlocks.read(meta, deflated, "metadata section");
            List<StoredTensor> tensors = tensors(new LittleEndianIn(b, at, (int) sections[2]));
            return new PackContents(version, flags, configJson, metaJson.length == 0 ? null : metaJson, tensors);
        } catch (PackFormatException e) {
            throw damaged(e.getMessage());
        }
    }

    private void checkMagic() {
        int n = Math.min(b.length, PackFormat.MAGIC.length);
        boolean prefix = Arrays.equals(b, 0, n, PackFormat.MAGIC, 0, n);
        if (b.length == 0 || !prefix) {
            throw fail("is not a Keiryo packed model ("
                    + (b.length == 0 ? "it is empty" : "it does not start with" + " 'KEIRYOPK'")
                    + "); give a .kpack file written by Keiryo.");
        }
        if (b.length < 10) {
            throw fail("is truncated: it ends after " + b.length + " bytes, inside its " + PackFormat.PREAMBLE_BYTES
                    + "-byte preamble, so everything after is missing; copy or write the file again.");
        }
    }

    /** Says which part the file ends in and how much is missing, from the lengths the preamble declares. */
    private void checkLength(long[] sections) {
        List<String> names = new ArrayList<>(PackFormat.SECTIONS);
        names.add("checksum");
        long[] sizes = {sections[0], sections[1], sections[2], PackFormat.CHECKSUM_BYTES};
        long expected = PackFormat.PREAMBLE_BYTES;
        for (long s : sizes) {
            expected = addExact(expected, s);
        }
        if (expected > Integer.MAX_VALUE - 8) {
            throw fail("declares " + expected + " bytes; packed models over 2 GB are not supported by this Keiryo.");
        }
        long actual = b.length;
        if (actual > expected) {
            throw damaged((actual - expected) + " unexpected bytes follow the end of the packed model (" + expected
                    + " bytes)");
        }
        if (actual == expected) {
            return;
        }
        long start = PackFormat.PREAMBLE_BYTES;
        for (int i = 0; i < sizes.length; i++) {
            long stop = start + sizes[i];
            if (actual < stop) {
                String where = actual > start
                        ? "the " + names.get(i) + " lacks its last " + (stop - actual) + " of " + sizes[i] + " bytes"
                        : "the " + names.get(i) + " (" + sizes[i] + " bytes) is missing";
                String rest = i + 1 < names.size()
                        ? ", and everything after it (" + String.join(", ", names.subList(i + 1, names.size())) + ": "
                                + (expected - stop) + " bytes) is missing"
                        : "";
                throw fail("is truncated (" + (expected - actual) + " of " + expected + " bytes missing): " + where
                        + rest + "; copy or write the file again.");
            }
            start = stop;
        }
    }

    private List<StoredTensor> tensors(LittleEndianIn in) {
        long count = in.u32("tensor count");
        List<StoredTensor> list = new ArrayList<>();
        for (long t = 0; t < count; t++) {
            String what = "tensor entry " + t;
            int layer = in.u16(what + " layer index");
            String key = in.utf8(in.u16(what + " key length"), what + " key");
            int dtypeCode = in.u8(what + " data type");
            int rank = in.u8(what + " rank");
            long[] shape = new long[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = in.u64(what + " dimension " + d);
            }
            int tag = in.u16(what + " encoding tag");
            long length = in.u64(what + " payload length");
            list.add(new StoredTensor(
                    layer, key, PackFormat.dtype(dtypeCode), shape, tag, in.slice(length, what + " payload")));
        }
        if (in.remaining() != 0) {
            throw new PackFormatException(in.remaining() + " bytes follow the last tensor in the tensor table");
        }
        return list;
    }

    private long addExact(long a, long s) {
        try {
            return Math.addExact(a, s);
        } catch (ArithmeticException e) {
            throw damaged("its section lengths add up to more than 2^63 bytes");
        }
    }

    private int crc(int from, int length) {
        CRC32 c = new CRC32();
        c.update(b, from, length);
        return (int) c.getValue();
    }

    private int u16(int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private int i32(int at) {
        return u16(at) | u16(at + 2) << 16;
    }

    private long u64(int at) {
        long v = (i32(at) & 0xFFFF_FFFFL) | (long) i32(at + 4) << 32;
        if (v < 0) {
            throw damaged("a section length in its preamble is larger than 2^63");
        }
        return v;
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }

    private KeiryoException damaged(String detail) {
        return fail("is damaged: " + detail + "; copy or write the file again.");
    }

    private KeiryoException fail(String rest) {
        return new KeiryoException("packed model " + file + " " + rest);
    }
}
