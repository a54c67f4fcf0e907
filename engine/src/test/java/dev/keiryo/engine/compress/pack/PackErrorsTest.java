package dev.keiryo.engine.compress.pack;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.KeiryoModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged, foreign, truncated and future files each fail with one sentence that names the file. */
class PackErrorsTest {
    private static KeiryoModel model;
    private static byte[] good;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeOne(@TempDir Path tmp) throws Exception {
        model = TestNets.sparse(TestNets.model(ArchitecturePreset.LENET300), 0.9, 1);
        Path f = tmp.resolve("good.kpack");
        PackWriter.write(model, f, PackOptions.defaults());
        good = Files.readAllBytes(f);
    }

    @Test
    void missingFile() {
        assertMessage(dir.resolve("nope.kpack"), "does not exist");
    }

    @Test
    void notAPackedModel() throws Exception {
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0};
        assertMessage(file("model.zip", zip), "is not a Keiryo packed model");
        assertMessage(file("empty.kpack", new byte[0]), "is not a Keiryo packed model (it is empty)");
    }

    @Test
    void newerVersion() throws Exception {
        byte[] b = good.clone();
        b[8] = 3;
        assertMessage(file("v3.kpack", b), "written by a newer Keiryo (pack format version 3", "upgrade");
    }

    @Test
    void unknownFlagMeansNewerWriter() throws Exception {
        byte[] b = good.clone();
        b[11] |= 0x40;
        fixPreambleChecksum(b);
        fixChecksum(b);
        assertMessage(file("flags.kpack", b), "written by a newer Keiryo", "upgrade");
    }

    @Test
    void truncatedSaysWhereAndHowMuch() throws Exception {
        long config = sectionLength(0);
        long meta = sectionLength(1);
        long table = sectionLength(2);
        int tableStart = (int) (PackFormat.PREAMBLE_BYTES + config + meta);

        assertMessage(file("t1.kpack", Arrays.copyOf(good, 6)), "truncated", "inside its 40-byte preamble");
        assertMessage(file("t2.kpack", Arrays.copyOf(good, 30)), "truncated", "ends after 30 bytes");
        assertMessage(
                file("t3.kpack", Arrays.copyOf(good, PackFormat.PREAMBLE_BYTES + 10)),
                "truncated (" + (good.length - 50) + " of " + good.length + " bytes missing)",
                "the configuration section lacks its last " + (config - 10) + " of " + config + " bytes",
                "everything after it (metadata section, tensor table, checksum: " + (meta + table + 4)
                        + " bytes) is missing");
        assertMessage(
                file("t4.kpack", Arrays.copyOf(good, tableStart + 1000)),
                "the tensor table lacks its last " + (table - 1000) + " of " + table + " bytes",
                "(checksum: 4 bytes)");
        assertMessage(
                file("t5.kpack", Arrays.copyOf(good, good.length - 1)),
                "1 of " + good.length + " bytes missing",
                "the checksum lacks its last 1 of 4 bytes");
        assertMessage(
                file("t6.kpack", Arrays.copyOf(good, tableStart)), "the tensor table (" + table + " bytes) is missing");
    }

    @Test
    void checksumMismatch() throws Exception {
        byte[] b = good.clone();
        b[b.length - 100] ^= 0x10; // one bit of the last tensor's values
        assertMessage(file("flip.kpack", b), "is damaged: checksum mismatch");
        byte[] p = good.clone();
        p[20] ^= 1; // a section length: must not be mistaken for truncation
        assertMessage(file("preamble.kpack", p), "is damaged: checksum mismatch in its preamble");
    }

    @Test
    void trailingBytesAreDamage() throws Exception {
        assertMessage(
                file("long.kpack", Arrays.copyOf(good, good.length + 3)), "is damaged: 3 unexpected bytes follow");
    }

    @Test
    void unknownEncodingTag() throws Exception {
        byte[] b = good.clone();
        int tagAt = firstTagOffset();
        assertEquals(Codecs.SPARSE_RELATIVE_F32.tag(), b[tagAt] & 0xFF, "layout as documented: first tensor is sparse");
        b[tagAt] = 99;
        fixChecksum(b);
        assertMessage(
                file("tag.kpack", b), "stores parameter dense1_W with encoding tag 99", "does not know", "upgrade");
    }

    @Test
    void inconsistentPayloadBehindAValidChecksumIsDamage() throws Exception {
        byte[] b = good.clone();
        int tagAt = firstTagOffset();
        b[tagAt] = (byte) Codecs.DENSE_F32.tag(); // payload too short for a dense 784x300
        fixChecksum(b);
        assertMessage(file("payload.kpack", b), "is damaged: parameter dense1_W (dense-f32)");
    }

    @Test
    void neverOverwritesUnlessAsked() throws Exception {
        Path f = file("taken.kpack", "earlier result".getBytes(UTF_8));
        assertMessage(() -> PackWriter.write(model, f, PackOptions.defaults()), f, "already exists");
        assertEquals("earlier result", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        PackReport r = PackWriter.write(model, f, PackOptions.defaults().withReplace(true));
        assertEquals(r.totalBytes(), Files.size(f));
    }

    @Test
    void unknownEncodingNameIsAUserError() {
        KeiryoException e = assertThrows(KeiryoException.class, () -> EncodingChoice.parse("zip"));
        assertTrue(e.getMessage().contains("auto, dense, dense-f16, sparse-bitmask, sparse-relative"), e.getMessage());
        assertEquals(EncodingChoice.SPARSE_RELATIVE, EncodingChoice.parse(" Sparse_Relative "));
    }

    /** Offset of the first tensor's encoding tag, found the way docs/kpack.md describes. */
    private static int firstTagOffset() {
        ByteBuffer b = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN);
        int at = (int) (PackFormat.PREAMBLE_BYTES + sectionLength(0) + sectionLength(1)) + 4; // skip the tensor count
        int keyLength = b.getShort(at + 2);
        at += 2 + 2 + keyLength + 1; // layer, key length, key, dtype
        int rank = b.get(at);
        return at + 1 + 8 * rank;
    }

    // Found by the reader fuzzer: DL4J's error for a configuration it cannot read quotes the JSON, lines and all.
    @Test
    void aConfigurationDl4jCannotReadIsOneSentence() throws Exception {
        byte[] json = "{\n  \"backpropType\" : \"Standard\",\n  \"epochCount\" : 0\n}".getBytes(UTF_8);
        int tensors = (int) sectionLength(2);
        ByteBuffer out = ByteBuffer.allocate(PackFormat.PREAMBLE_BYTES + json.length + tensors + 4)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(good, 0, PackFormat.PREAMBLE_BYTES);
        // A layer list, its text stored plainly, without metadata.
        out.putShort(10, (short) (out.getShort(10) & ~(PackFormat.FLAG_TEXT_DEFLATED | PackFormat.FLAG_GRAPH)));
        out.putLong(12, json.length).putLong(20, 0);
        out.position(PackFormat.PREAMBLE_BYTES);
        out.put(json).put(good, PackFormat.PREAMBLE_BYTES + (int) (sectionLength(0) + sectionLength(1)), tensors);
        byte[] b = out.array();
        fixPreambleChecksum(b);
        fixChecksum(b);
        assertMessage(file("unreadable-config.kpack", b), "cannot rebuild");
    }

    private static long sectionLength(int i) {
        return ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong(12 + 8 * i);
    }

    private static void fixPreambleChecksum(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b, 0, PackFormat.PREAMBLE_BYTES - 4);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(PackFormat.PREAMBLE_BYTES - 4, (int) c.getValue());
    }

    private static void fixChecksum(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 4, (int) c.getValue());
    }

    private Path file(String name, byte[] bytes) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private static void assertMessage(Path f, String... parts) {
        assertMessage(() -> PackReader.read(f), f, parts);
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, Path f, String... parts) {
        KeiryoException e = assertThrows(KeiryoException.class, call);
        String m = e.getMessage();
        assertTrue(m.contains(f.toString()), "names the file: " + m);
        for (String p : parts) {
            assertTrue(m.contains(p), "'" + p + "' in: " + m);
        }
        assertTrue(m.endsWith(".") && m.indexOf('\n') < 0, "one sentence: " + m);
    }
}
