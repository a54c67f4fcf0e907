package dev.keiryo.engine.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.train.TrainSettings;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A model file is data: it never runs code, never writes a file, never makes Keiryo allocate what it does not hold. */
class ModelZipSafetyTest {
    /** Set by {@link Tripwire#readObject}: Java deserialization of the file's bytes ran. */
    static final AtomicBoolean DESERIALIZED = new AtomicBoolean();

    @TempDir
    Path dir;

    /** Stands in for a gadget: its readObject runs the moment anyone deserializes it. */
    static final class Tripwire implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            DESERIALIZED.set(true);
        }
    }

    private static KeiryoModel model() {
        InputShape in = new InputShape(1, 4, 4);
        ComputationGraph net =
                ModelFactory.build(Architecture.of(ArchitecturePreset.MLP), in, 3, TrainSettings.defaults());
        return new KeiryoModel(
                net, new ModelMeta(ModelMeta.FORMAT_VERSION, "mlp", in, false, 3, List.of(), Normalizer.scale(255f)));
    }

    /** The entries of a model zip Keiryo wrote, in order. */
    private Map<String, byte[]> entries(KeiryoModel m, boolean withUpdater) throws IOException {
        Path f = dir.resolve("source-" + UUID.randomUUID() + ".zip");
        ModelIO.save(m, f, withUpdater, false);
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(f.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                out.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        return out;
    }

    private static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return file;
    }

    @Test
    void aSerializedObjectInAModelZipIsNeverDeserialized() throws Exception {
        KeiryoModel m = model();
        ByteArrayOutputStream gadget = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(gadget)) {
            out.writeObject(new Tripwire());
        }
        Map<String, byte[]> entries = entries(m, true);
        // DL4J's ModelSerializer deserializes these entries with ObjectInputStream when it restores a model.
        entries.put("preprocessor.bin", gadget.toByteArray());
        entries.put("normalizer.bin", gadget.toByteArray());
        Path f = zip(dir.resolve("gadget.zip"), entries);
        DESERIALIZED.set(false);

        KeiryoModel back = ModelIO.load(f);

        assertFalse(DESERIALIZED.get(), "loading a model ran Java deserialization on the file's bytes");
        INDArray x = Nd4j.rand(2, 16);
        assertEquals(m.net().outputSingle(x), back.net().outputSingle(x), "the model itself still loads");
    }

    @Test
    void entryNamesThatClimbOutOrAreAbsoluteOrSymlinksWriteNothing() throws Exception {
        Path target = Files.createDirectories(dir.resolve("a/b/models"));
        String marker = "escape-" + UUID.randomUUID();
        Path absolute = Path.of(System.getProperty("java.io.tmpdir"), marker + "-abs.txt");
        Map<String, byte[]> entries = entries(model(), false);
        entries.put("../" + marker + "-up.txt", "x".getBytes(UTF_8));
        entries.put("../../" + marker + "-upup.txt", "x".getBytes(UTF_8));
        entries.put(absolute.toString(), "x".getBytes(UTF_8));
        entries.put(marker + "-link", "/etc/passwd".getBytes(UTF_8));
        Path f = zip(target.resolve("slip.zip"), entries);
        markSymlink(f, marker + "-link");
        List<Path> before = everything(dir);

        KeiryoModel back = ModelIO.load(f);

        assertEquals(3, back.meta().numClasses());
        assertEquals(before, everything(dir), "loading a model created or removed files");
        assertFalse(Files.exists(absolute), "an absolute entry name was written");
    }

    @Test
    void aCoefficientLengthFieldSetHugeIsRefusedBeforeAnythingIsAllocated() throws Exception {
        Map<String, byte[]> entries = entries(model(), false);
        byte[] coefficients = entries.get(ModelZipReader.COEFFICIENTS);
        // Both headers (shape information, then values) start with the allocation mode's name and a long length.
        int values = valueHeader(coefficients);
        ByteBuffer.wrap(coefficients).putLong(values, Long.MAX_VALUE / 8);
        Path f = zip(dir.resolve("huge.zip"), entries);

        KeiryoException e = assertThrows(KeiryoException.class, () -> ModelIO.load(f));

        assertTrue(
                e.getMessage().startsWith("model file " + f + " is damaged: coefficients.bin declares"),
                e.getMessage());
    }

    @Test
    void aConfigurationThatDeclaresMoreParametersThanTheFileHoldsIsRefused() throws Exception {
        Map<String, byte[]> entries = entries(model(), false);
        String config = new String(entries.get(ModelZipReader.CONFIG), UTF_8);
        // A hidden layer ten thousand times as wide: DL4J would allocate it before noticing the values are missing.
        String wide = config.replaceFirst("\"nout\" : (\\d+)", "\"nout\" : $10000");
        assertFalse(wide.equals(config), "the fixture names an nout");
        entries.put(ModelZipReader.CONFIG, wide.getBytes(UTF_8));
        Path f = zip(dir.resolve("wide.zip"), entries);

        KeiryoException e = assertThrows(KeiryoException.class, () -> ModelIO.load(f));

        assertTrue(e.getMessage().startsWith("model file " + f + " is damaged: "), e.getMessage());
    }

    /** Offset of the long length in the values' header of an array ND4J wrote. */
    private static int valueHeader(byte[] b) throws IOException {
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(b));
        String mode = in.readUTF();
        long shapeLength = in.readLong();
        String type = in.readUTF();
        int offset = 2 + mode.length() + 8 + 2 + type.length() + (int) shapeLength * 8;
        ByteArrayOutputStream probe = new ByteArrayOutputStream();
        new DataOutputStream(probe).writeUTF(mode);
        return offset + probe.size();
    }

    /** Sets the unix mode of {@code name}'s central directory record to a symbolic link (lrwxrwxrwx). */
    private static void markSymlink(Path zip, String name) throws IOException {
        byte[] b = Files.readAllBytes(zip);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        byte[] want = name.getBytes(UTF_8);
        for (int i = 0; i + 46 < b.length; i++) {
            if (buf.getInt(i) != 0x02014b50) {
                continue;
            }
            int nameLen = buf.getShort(i + 28) & 0xffff;
            if (nameLen == want.length && java.util.Arrays.equals(b, i + 46, i + 46 + nameLen, want, 0, nameLen)) {
                buf.putShort(i + 4, (short) (3 << 8 | 20)); // made by: unix
                buf.putInt(i + 38, 0120777 << 16);
                Files.write(zip, b);
                return;
            }
        }
        throw new AssertionError("no central directory record for " + name);
    }

    private static List<Path> everything(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.sorted().toList();
        }
    }
}
